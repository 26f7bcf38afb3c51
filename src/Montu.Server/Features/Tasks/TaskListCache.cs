using System.Globalization;
using System.Text.Json;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>Task list pages (see <see cref="PageCache"/>).</summary>
public sealed class TaskListCache(EventLogHead head, ILogger<TaskListCache> log) : PageCache(head, log)
{
    /// <summary>
    /// What the page shows, from the parsed request rather than its raw query string: parameters
    /// in another order, or a client's cache-busting extra (<c>_=1700000000</c>), find the same page.
    /// </summary>
    public static string Key(TaskFilters filters, TaskSort sort, PageRequest page, ReadableProjects readable) => string.Join('\u001f',
        JsonSerializer.Serialize(filters, WireJson.Default),
        sort.Field,
        sort.Order,
        page.PageSize.ToString(CultureInfo.InvariantCulture),
        page.Page.ToString(CultureInfo.InvariantCulture),
        page.Cursor ?? "",
        readable.All ? "*" : string.Join(',', readable.Ids.Order(StringComparer.Ordinal)));
}
