using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary><c>page</c>, <c>page_size</c> and <c>cursor</c> of a list request (docs/api.md §Lists).</summary>
public sealed record PageRequest(int Page, int PageSize, string? Cursor)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 100;

    public int Offset => (Page - 1) * PageSize;

    /// <summary>The page number a list reports: none when a cursor chose the page, which has no number.</summary>
    public int? Number => Cursor is null ? Page : null;

    public static PageRequest Parse(string? page, string? pageSize, string? cursor, ValidationProblems problems) => new(
        QueryValues.Int(page, "page", 1, InputLimits.MaxPage, problems) ?? 1,
        QueryValues.Int(pageSize, "page_size", 1, MaxSize, problems) ?? DefaultSize,
        QueryValues.Text(cursor));

    public static long TotalPages(long total, int pageSize) => (total + pageSize - 1) / pageSize;
}
