namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>The list envelope; <c>page</c> is null when a cursor chose the page.</summary>
public sealed record ListEnvelope<TItem, TFilters>(
    IReadOnlyList<TItem> Items,
    long Total,
    int? Page,
    int PageSize,
    long TotalPages,
    string? NextCursor,
    TFilters FiltersApplied) : ILegacyEnvelope
{
    /// <summary>The key v2.0 used for the items (<c>tasks</c>, <c>projects</c>).</summary>
    internal string LegacyItemsKey { get; init; } = "items";

    public object ToLegacy() => new Dictionary<string, object?>
    {
        [LegacyItemsKey] = Items,
        ["total"] = Total,
        ["page"] = Page,
        ["page_size"] = PageSize,
        ["total_pages"] = TotalPages,
        ["filters_applied"] = FiltersApplied,
    };
}
