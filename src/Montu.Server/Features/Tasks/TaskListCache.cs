using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// Task list responses, serialized in the default shape, kept per query and per set of projects
/// the caller may read, and served again while the event log stands still
/// (docs/decisions/0007): the sequence is read before the page is computed, so a stored page is
/// never older than its version. Bounded by total size; past it the cache starts over.
/// </summary>
public sealed class TaskListCache(EventLogHead head)
{
    private const long MaxBytes = 32L * 1024 * 1024;
    private readonly ConcurrentDictionary<string, (long Seq, byte[] Body)> _pages = new(StringComparer.Ordinal);
    private long _bytes;

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

    /// <summary>The current version of what the list shows, and the stored body if it is of that version.</summary>
    public async Task<(long Seq, byte[]? Body)> LookupAsync(string key, string? projectId, CancellationToken ct)
    {
        var seq = await head.CurrentAsync(projectId, ct);
        return (seq, _pages.TryGetValue(key, out var page) && page.Seq == seq ? page.Body : null);
    }

    public void Store(string key, long seq, byte[] body)
    {
        // A newer version of a page replaces the old one's bytes. Two stores of one key racing may
        // both subtract them: the count only has to bound memory, not be exact.
        var replaced = _pages.TryGetValue(key, out var old) ? old.Body.Length : 0;
        if (Interlocked.Add(ref _bytes, body.Length - replaced) > MaxBytes)
        {
            _pages.Clear();
            Interlocked.Exchange(ref _bytes, body.Length);
        }

        _pages[key] = (seq, body);
    }
}
