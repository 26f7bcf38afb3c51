using Montu.Server.Features.Media;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// At start-up, deletes the part objects no upload records: a PATCH that a crash stopped between
/// storing its bytes and recording them, or an upload whose rows were removed just before a
/// crash. Only objects untouched for <see cref="UploadSweep.Settled"/> are judged, so a PATCH
/// another instance is storing at this moment is left to it.
/// </summary>
public sealed class UploadPartSweep(IFileStore store, UploadQueries uploads, TimeProvider time, ILogger<UploadPartSweep> logger)
{
    /// <summary>Keys asked about in one query, well below SQLite's limit on parameters.</summary>
    private const int KeysPerQuery = 500;

    public async Task RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var settled = new List<string>();
        await foreach (var file in store.ListAsync(UploadAppends.PartPrefix, ct))
        {
            if (now - file.LastModified >= UploadSweep.Settled)
            {
                settled.Add(file.Key);
            }
        }

        var deleted = 0;
        foreach (var keys in settled.Chunk(KeysPerQuery))
        {
            var recorded = await uploads.RecordedAsync(keys, ct);
            foreach (var key in keys.Where(k => !recorded.Contains(k)))
            {
                await store.DeleteAsync(key, ct);
                deleted++;
            }
        }

        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} parts of resumable uploads that no upload records", deleted);
        }
    }
}
