using System.Collections.Concurrent;

namespace Montu.Server.Data;

/// <summary>
/// List responses, serialized in the default shape, kept per key (the query as parsed and the
/// set of projects the caller may read) and served again while the event log stands still
/// (docs/decisions/0007): the sequence is read before the page is computed, so a stored page is
/// never older than its version. Requests missing the same page at the same version share one
/// computation: every change to a project drops its pages, and a show's crew reloading a list
/// at that moment would otherwise each run its query. Bounded by total size; past it the cache
/// starts over. Each list has its own (a subclass), so one list's pages never crowd out another's.
/// </summary>
public abstract class PageCache(EventLogHead head, ILogger log)
{
    private const long MaxBytes = 32L * 1024 * 1024;
    private readonly ConcurrentDictionary<string, (long Seq, byte[] Body)> _pages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Seq, Lazy<Task<byte[]>> Body)> _computing = new(StringComparer.Ordinal);
    private long _bytes;

    /// <summary>
    /// The page's body at the current version of <paramref name="projectId"/> (of every project
    /// when null): stored, or made by <paramref name="compute"/> once for all requests asking
    /// together. <paramref name="compute"/> must not depend on the caller's cancellation: other
    /// requests may be waiting on it.
    /// </summary>
    public async Task<byte[]> GetAsync(string key, string? projectId, Func<Task<byte[]>> compute, CancellationToken ct)
    {
        var seq = await head.CurrentAsync(projectId, ct);
        if (Stored(key, seq) is { } stored)
        {
            return stored;
        }

        var computing = _computing.AddOrUpdate(key, _ => Start(key, seq, compute), (_, known) => known.Seq == seq ? known : Start(key, seq, compute));
        return await computing.Body.Value.WaitAsync(ct);
    }

    /// <summary>The page's stored body at the current version of <paramref name="projectId"/>, if there is one; nothing is computed.</summary>
    public async Task<byte[]?> FindAsync(string key, string? projectId, CancellationToken ct) =>
        Stored(key, await head.CurrentAsync(projectId, ct));

    private byte[]? Stored(string key, long seq) => _pages.TryGetValue(key, out var page) && page.Seq == seq ? page.Body : null;

    /// <summary>A computation of the page at <paramref name="seq"/>, which stores it and then stops being shared: later requests find the stored page.</summary>
    private (long Seq, Lazy<Task<byte[]>> Body) Start(string key, long seq, Func<Task<byte[]>> compute)
    {
        Lazy<Task<byte[]>>? body = null;
        body = new Lazy<Task<byte[]>>(async () =>
        {
            try
            {
                // A computation that finished between this request's look at the stored pages and
                // now has stored the page already.
                if (Stored(key, seq) is { } stored)
                {
                    return stored;
                }

                var computed = await compute();
                Store(key, seq, computed);
                log.LogDebug("List page computed at event {Seq}: {Key}", seq, key);
                return computed;
            }
            finally
            {
                _computing.TryRemove(new KeyValuePair<string, (long, Lazy<Task<byte[]>>)>(key, (seq, body!)));
            }
        });
        return (seq, body);
    }

    private void Store(string key, long seq, byte[] body)
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
