using System.Globalization;
using System.Text.Json;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Annotations;

/// <summary>
/// Note list pages (see <see cref="PageCache"/>): a review room's players reload a version's notes
/// together, and only a change in the project (a note written, a version deleted) changes them.
/// </summary>
public sealed class AnnotationListCache(EventLogHead head, ILogger<AnnotationListCache> log) : PageCache(head, log)
{
    /// <summary>What the page shows, from the parsed request, and whose projects it was read over.</summary>
    public static string Key(AnnotationFilters filters, AnnotationSort sort, PageRequest page, ReadableProjects readable) => string.Join('\u001f',
        JsonSerializer.Serialize(filters, WireJson.Default),
        sort.Field,
        page.PageSize.ToString(CultureInfo.InvariantCulture),
        page.Page.ToString(CultureInfo.InvariantCulture),
        page.Cursor ?? "",
        readable.All ? "*" : string.Join(',', readable.Ids.Order(StringComparer.Ordinal)));
}
