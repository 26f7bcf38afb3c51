using Montu.Server.Features.Media.Processing;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Features.Media;

/// <summary>
/// At start-up, finishes or removes what a crash left under the upload keys: bytes whose row was
/// committed move to their key (the move that the crash interrupted), bytes without a row are
/// deleted. Only objects untouched for <see cref="Settled"/> are handled, so an upload another
/// instance is finishing at this moment is left to it. A file still arriving when the server died
/// is no object yet: in a local directory its partial file goes at once, since no writer holds it
/// any more (<see cref="LocalFileStore.DeleteAbandonedWrites"/>); on S3 it is a multipart upload
/// that the dying server did not abort, never listed, left to the bucket's lifecycle rule.
/// </summary>
public sealed class UploadSweep(IFileStore store, MediaQueries media, IConfiguration configuration, TimeProvider time, ILogger<UploadSweep> logger)
{
    public static readonly TimeSpan Settled = TimeSpan.FromMinutes(10);

    public async Task RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var leftovers = new List<StoredFile>();
        await foreach (var file in store.ListAsync(MediaRules.UploadPrefix, ct))
        {
            if (now - file.LastModified >= Settled)
            {
                leftovers.Add(file);
            }
        }

        if (store is LocalFileStore local && local.DeleteAbandonedWrites() is > 0 and var abandoned)
        {
            logger.LogInformation("Deleted {Count} partial files of uploads a stopped server left unfinished", abandoned);
        }

        DeleteWorkFiles(now);

        if (leftovers.Count == 0)
        {
            return;
        }

        var rows = (await media.FindManyAsync(leftovers.Select(f => f.Key[MediaRules.UploadPrefix.Length..]).ToList(), ct)).ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var file in leftovers)
        {
            if (rows.TryGetValue(file.Key[MediaRules.UploadPrefix.Length..], out var row) && await store.FindAsync(row.StorageKey, ct) is null)
            {
                await store.MoveAsync(file.Key, row.StorageKey, ct);
                logger.LogWarning("Finished storing media {MediaId}: its upload was committed but not moved into place", row.Id);
            }
            else
            {
                await store.DeleteAsync(file.Key, ct);
                logger.LogInformation("Deleted an upload left unfinished: {Key}", file.Key);
            }
        }
    }

    /// <summary>What ffmpeg was writing when the server stopped: the job runs again and starts afresh.</summary>
    private void DeleteWorkFiles(DateTimeOffset now)
    {
        var root = new DirectoryInfo(ProcessingOptions.WorkRoot(configuration));
        if (!root.Exists)
        {
            return;
        }

        foreach (var entry in root.EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Where(e => e is FileInfo && now - e.LastWriteTimeUtc >= Settled).ToList())
        {
            entry.Delete();
        }
    }
}
