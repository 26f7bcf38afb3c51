using System.Collections.Concurrent;

namespace Montu.Server.Data;

/// <summary>
/// Figures derived from the database, kept with the event sequence they were computed at and
/// reused while it stands still (docs/decisions/0007). Requests arriving together for the same
/// key share one computation, so fifty clients missing at once cost one query, not fifty. A
/// failed computation is forgotten; past <c>maxEntries</c> keys the cache starts over.
/// </summary>
public sealed class VersionedCache<T>(int maxEntries)
{
    private readonly ConcurrentDictionary<string, (long Seq, Lazy<Task<T>> Value)> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// The value for <paramref name="key"/> at <paramref name="seq"/> or newer. <paramref name="compute"/>
    /// must not depend on the caller's cancellation: other requests may be waiting on it.
    /// </summary>
    public async Task<T> GetAsync(string key, long seq, Func<Task<T>> compute, CancellationToken ct)
    {
        if (_entries.Count >= maxEntries)
        {
            _entries.Clear();
        }

        var entry = _entries.AddOrUpdate(
            key,
            _ => (seq, new Lazy<Task<T>>(compute)),
            (_, known) => known.Seq >= seq ? known : (seq, new Lazy<Task<T>>(compute)));
        try
        {
            return await entry.Value.Value.WaitAsync(ct);
        }
        catch when (entry.Value.Value.IsFaulted)
        {
            _entries.TryRemove(new KeyValuePair<string, (long, Lazy<Task<T>>)>(key, entry));
            throw;
        }
    }
}
