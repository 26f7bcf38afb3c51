using System.Globalization;
using Dapper;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Annotations;

/// <summary>
/// The order of an annotation list and its keyset, ascending and stable: <c>frame</c> is
/// <c>(frame, createdAt, id)</c> with notes on the whole media (no frame) first; <c>created_at</c>
/// is <c>(createdAt, id)</c>.
/// </summary>
public sealed record AnnotationSort(string Field)
{
    public const string Frame = "frame";
    public const string CreatedAt = "created_at";

    public static readonly IReadOnlyList<string> Fields = [Frame, CreatedAt];

    public static AnnotationSort Parse(string? sort, ValidationProblems problems) =>
        new(QueryValues.OneOf(QueryValues.Text(sort), "sort", Fields, problems) ?? Frame);

    public string OrderBy => OrderByOn("");

    public string OrderByOn(string table) => Field == Frame
        ? $"{table}frame_number NULLS FIRST, {table}created_at, {table}id"
        : $"{table}created_at, {table}id";

    public string Keyset(AnnotationCursor cursor, DynamicParameters args)
    {
        args.Add("afterCreated", DateTime.Parse(cursor.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
        args.Add("afterId", cursor.Id);
        if (Field == CreatedAt)
        {
            return "(created_at, id) > (@afterCreated, @afterId)";
        }

        // Notes without a frame come first: after one of them, the rest of them and every framed note.
        if (cursor.Frame is not { } frame)
        {
            return "((frame_number IS NULL AND (created_at, id) > (@afterCreated, @afterId)) OR frame_number IS NOT NULL)";
        }

        args.Add("afterFrame", frame);
        return "(frame_number, created_at, id) > (@afterFrame, @afterCreated, @afterId)";
    }

    public string CursorAfter(AnnotationRow last) => Cursor.Encode(new AnnotationCursor(
        Field, last.FrameNumber, DateTime.SpecifyKind(last.CreatedAt, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture), last.Id));

    /// <summary>A cursor continues only the order it was made for.</summary>
    public AnnotationCursor? ReadCursor(string? raw, ValidationProblems problems)
    {
        if (raw is null)
        {
            return null;
        }

        if (!Cursor.TryDecode<AnnotationCursor>(raw, out var cursor) || cursor is null || !cursor.IsWellFormed())
        {
            problems.Add("cursor", "The cursor is not valid; start again without it", ErrorCodes.InvalidFormat);
            return null;
        }

        if (cursor.Sort != Field)
        {
            problems.Add("cursor", $"The cursor was made for sort={cursor.Sort}; send the same sort, or start again without it");
            return null;
        }

        return cursor;
    }
}

/// <summary>The position of the last annotation sent: the order, its frame, creation time and id.</summary>
public sealed record AnnotationCursor(string Sort, long? Frame, string CreatedAt, string Id)
{
    public bool IsWellFormed() => Id is not null && AnnotationSort.Fields.Contains(Sort)
        && DateTime.TryParse(CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) && time.Kind == DateTimeKind.Utc;
}
