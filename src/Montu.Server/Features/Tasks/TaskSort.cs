using System.Globalization;
using Dapper;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// The order of a task list and its keyset. Every order is stable, <c>(field, id)</c> in one
/// direction; <c>deadline</c> is nullable and puts tasks without one last in both directions.
/// </summary>
public sealed record TaskSort(string Field, bool Descending)
{
    public const string Id = "id";
    public const string Deadline = "deadline";
    public const string Priority = "priority";

    public static readonly IReadOnlyList<string> Fields = ["created_at", "updated_at", Priority, Deadline, Id];

    public static readonly IReadOnlyList<string> Orders = ["asc", "desc"];

    public string Order => Descending ? "desc" : "asc";

    private string Column => Field == Priority ? "priority_rank" : Field;

    /// <summary>The column a page selects beside each task, so the cursor can continue after the last one.</summary>
    public string SortColumn => Column;

    private string Direction => Descending ? "DESC" : "ASC";

    private string After => Descending ? "<" : ">";

    public static TaskSort Parse(string? sort, string? order, ValidationProblems problems) => new(
        QueryValues.OneOf(QueryValues.Text(sort), "sort", Fields, problems) ?? Id,
        QueryValues.OneOf(QueryValues.Text(order)?.ToLowerInvariant(), "order", Orders, problems) == "desc");

    /// <summary>
    /// The ORDER BY clause. Within one project it leads with <c>project_id</c>, which changes nothing
    /// in the order but lets the planner read the project's composite index (see
    /// <see cref="Data.SqlDialect.EqualsOneValue"/>).
    /// </summary>
    public string OrderBy(bool withinProject) => (withinProject ? $"project_id {Direction}, " : "") + Field switch
    {
        Id => $"id {Direction}",
        Deadline => $"deadline {Direction} NULLS LAST, id {Direction}",
        _ => $"{Column} {Direction}, id {Direction}",
    };

    /// <summary>The rows after <paramref name="cursor"/> in this order; its values become parameters.</summary>
    public string Keyset(TaskCursor cursor, DynamicParameters args)
    {
        args.Add("afterId", cursor.Id);
        if (Field == Id)
        {
            return $"id {After} @afterId";
        }

        if (cursor.Value is null)
        {
            return $"(deadline IS NULL AND id {After} @afterId)";
        }

        args.Add("afterValue", Field == Priority
            ? int.Parse(cursor.Value, CultureInfo.InvariantCulture)
            : DateTime.Parse(cursor.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
        var beyond = $"({Column}, id) {After} (@afterValue, @afterId)";
        return Field == Deadline ? $"({beyond} OR deadline IS NULL)" : beyond;
    }

    /// <summary>
    /// The cursor that continues after <paramref name="last"/>, from the value of <see cref="SortColumn"/>
    /// as the database returned it (SQLite: text timestamps; PostgreSQL: timestamps; a rank).
    /// </summary>
    public string CursorAfter(ListedTask last) => Cursor.Encode(PositionAfter(last));

    /// <summary>The position <see cref="CursorAfter"/> encodes, for a reader that walks the keyset itself (the CSV export).</summary>
    public TaskCursor PositionAfter(ListedTask last)
    {
        var value = Field switch
        {
            Id => null,
            Priority => Convert.ToInt64(last.SortValue, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            _ => last.SortValue switch
            {
                null => null,
                DateTime time => Timestamp(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
                var text => Timestamp(DateTime.Parse((string)text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
            },
        };
        return new TaskCursor(Field, Order, value, last.Id);
    }

    /// <summary>A cursor continues only the order it was made for; with another it would skip or repeat rows.</summary>
    public TaskCursor? ReadCursor(string? raw, ValidationProblems problems)
    {
        if (raw is null)
        {
            return null;
        }

        if (!Cursor.TryDecode<TaskCursor>(raw, out var cursor) || cursor is null || !cursor.IsWellFormed())
        {
            problems.Add("cursor", "The cursor is not valid; start again without it", ErrorCodes.InvalidFormat);
            return null;
        }

        if (cursor.Sort != Field || cursor.Order != Order)
        {
            problems.Add("cursor", $"The cursor was made for sort={cursor.Sort}&order={cursor.Order}; send the same sort and order, or start again without it");
            return null;
        }

        return cursor;
    }

    private static string Timestamp(DateTime time) => time.ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>The position of the last task sent: the order it was sent in, its sort value and id.</summary>
public sealed record TaskCursor(string Sort, string Order, string? Value, string Id)
{
    public bool IsWellFormed()
    {
        if (Id is null || !TaskSort.Fields.Contains(Sort) || !TaskSort.Orders.Contains(Order))
        {
            return false;
        }

        return Sort switch
        {
            TaskSort.Id => Value is null,
            TaskSort.Priority => int.TryParse(Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            TaskSort.Deadline => Value is null || IsTimestamp(Value),
            _ => Value is not null && IsTimestamp(Value),
        };
    }

    private static bool IsTimestamp(string value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) && time.Kind == DateTimeKind.Utc;
}
