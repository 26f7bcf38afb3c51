using System.Globalization;
using Dapper;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Media;

/// <summary>
/// The order of a media list and its keyset: <c>(field, id)</c> in one direction, stable;
/// <c>version</c> puts project-level files (which have none) last in both directions.
/// </summary>
public sealed record MediaSort(string Field, bool Descending)
{
    public const string CreatedAt = "created_at";
    public const string Version = "version";
    public const string FileName = "file_name";

    public static readonly IReadOnlyList<string> Fields = [CreatedAt, Version, FileName];

    public static readonly IReadOnlyList<string> Orders = ["asc", "desc"];

    public string Order => Descending ? "desc" : "asc";

    private string Column => Field == Version ? "version_number" : Field;

    private string Direction => Descending ? "DESC" : "ASC";

    private string After => Descending ? "<" : ">";

    public static MediaSort Parse(string? sort, string? order, ValidationProblems problems) => new(
        QueryValues.OneOf(QueryValues.Text(sort), "sort", Fields, problems) ?? CreatedAt,
        QueryValues.OneOf(QueryValues.Text(order)?.ToLowerInvariant(), "order", Orders, problems) == "desc");

    public string OrderBy => Field == Version
        ? $"version_number {Direction} NULLS LAST, id {Direction}"
        : $"{Column} {Direction}, id {Direction}";

    public string Keyset(MediaCursor cursor, DynamicParameters args)
    {
        args.Add("afterId", cursor.Id);
        if (cursor.Value is null)
        {
            return $"(version_number IS NULL AND id {After} @afterId)";
        }

        args.Add("afterValue", Field switch
        {
            Version => int.Parse(cursor.Value, CultureInfo.InvariantCulture),
            CreatedAt => (object)DateTime.Parse(cursor.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            _ => cursor.Value,
        });
        var beyond = $"({Column}, id) {After} (@afterValue, @afterId)";
        return Field == Version ? $"({beyond} OR version_number IS NULL)" : beyond;
    }

    public string CursorAfter(MediaRow last) => Cursor.Encode(new MediaCursor(Field, Order, Field switch
    {
        Version => last.VersionNumber?.ToString(CultureInfo.InvariantCulture),
        CreatedAt => DateTime.SpecifyKind(last.CreatedAt, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
        _ => last.FileName,
    }, last.Id));

    /// <summary>A cursor continues only the order it was made for.</summary>
    public MediaCursor? ReadCursor(string? raw, ValidationProblems problems)
    {
        if (raw is null)
        {
            return null;
        }

        if (!Cursor.TryDecode<MediaCursor>(raw, out var cursor) || cursor is null || !cursor.IsWellFormed())
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
}

/// <summary>The position of the last media version sent: the order, its sort value and id.</summary>
public sealed record MediaCursor(string Sort, string Order, string? Value, string Id)
{
    public bool IsWellFormed() => Id is not null && MediaSort.Fields.Contains(Sort) && MediaSort.Orders.Contains(Order) && Sort switch
    {
        MediaSort.Version => Value is null || int.TryParse(Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        MediaSort.CreatedAt => DateTime.TryParse(Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) && time.Kind == DateTimeKind.Utc,
        _ => Value is not null,
    };
}
