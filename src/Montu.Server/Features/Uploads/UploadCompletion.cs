using Montu.Server.Features.Media;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// The last byte has arrived: the upload becomes a media version exactly as <c>POST /media</c>
/// makes one. Its bytes become one temporary object under the media upload key, checked and
/// hashed on the way; <see cref="MediaCommit"/> then commits the row and event, the version rules
/// checked again, and in the same transaction marks the upload complete, or refuses everything
/// if another PATCH took the upload over meanwhile.
/// </summary>
/// <remarks>
/// The hash is never carried from one request to the next: a file that arrived in one PATCH was
/// hashed on its way in and its part is moved into place; a file that arrived in several parts
/// is hashed while they are joined, which reads every byte once more, whichever instance stored
/// them and across restarts alike (docs/decisions/0019).
/// </remarks>
public sealed class UploadCompletion(
    IFileStore store, UploadQueries uploads, UploadTermination termination, MediaCommit commit, IdGenerator ids, MediaOptions options, TimeProvider time)
{
    /// <param name="upload">The upload as it was before the last part.</param>
    /// <param name="last">The last part, stored but not recorded.</param>
    /// <param name="patchId">The PATCH that stored it, which must still hold the upload.</param>
    /// <param name="sniffed">What the file is, when this PATCH saw its first bytes.</param>
    /// <param name="checksum">The hash of this PATCH's bytes: the file's, when it carried the whole file.</param>
    /// <param name="caller">Who sent it: the author of the version.</param>
    public async Task<UploadProgress> CompleteAsync(UploadRow upload, UploadPart last, string patchId, FileKind? sniffed, string checksum, Caller caller)
    {
        var ct = CancellationToken.None;
        var target = new UploadTarget { TaskId = upload.TaskId, ProjectId = upload.TaskId is null ? upload.ProjectId : null };
        if ((await commit.AuthorizeAsync(target, caller, ct)).Refused is { } denied)
        {
            await termination.RemoveAsync(upload.Id, last.StorageKey);
            return denied;
        }

        var mediaId = ids.NewId("media");
        IReadOnlyList<UploadPart> parts = [.. await uploads.PartsAsync(upload.Id, ct), last];
        StoredUpload file;
        try
        {
            file = await JoinAsync(upload, parts, mediaId, sniffed, checksum);
        }
        catch (UploadRefusedException refused)
        {
            await termination.RemoveAsync(upload.Id, last.StorageKey);
            return refused.Error;
        }

        var superseded = false;
        var draft = new MediaDraft(upload.ProjectId, upload.TaskId, upload.VersionNumber, upload.Description, upload.TagList);
        var outcome = await commit.CommitAsync(draft, file, caller, async (tx, _) =>
        {
            if (!await uploads.CompleteAsync(tx, upload.Id, patchId, upload.UploadOffset, mediaId, time.GetUtcNow().UtcDateTime, ct))
            {
                superseded = true;
                throw new UploadRefusedException(UploadAppends.Moved());
            }
        }, ct);
        if (outcome.Error is { } error)
        {
            await store.DeleteAsync(MediaRules.UploadKey(mediaId), ct);
            // Taken over: the upload is the other PATCH's to finish. Refused: a version it cannot become is not kept.
            await (superseded ? store.DeleteAsync(last.StorageKey, ct) : termination.RemoveAsync(upload.Id, last.StorageKey));
            return error;
        }

        foreach (var part in parts)
        {
            await store.DeleteAsync(part.StorageKey, ct);
        }

        return new UploadProgress(upload.UploadLength, mediaId, null);
    }

    /// <summary>The whole file under the media upload key of <paramref name="mediaId"/>, checked and hashed.</summary>
    private async Task<StoredUpload> JoinAsync(UploadRow upload, IReadOnlyList<UploadPart> parts, string mediaId, FileKind? sniffed, string checksum)
    {
        var key = MediaRules.UploadKey(mediaId);
        if (parts is [var whole] && sniffed is { } kind)
        {
            await store.MoveAsync(whole.StorageKey, key, CancellationToken.None);
            return new StoredUpload(mediaId, upload.FileName, upload.FileExtension, kind, whole.Size, checksum);
        }

        FileKind? joinedKind = null;
        await using var stored = new PartsStream(store, parts);
        await using var joined = new UploadStream(stored, options.MaxFileSize,
            header => (joinedKind = ContentSniffer.Check(upload.FileName, upload.FileExtension, header.Span, out var refused)) is null ? refused : null);
        var size = await store.WriteAsync(key, joined, CancellationToken.None);
        if (size != upload.UploadLength)
        {
            await store.DeleteAsync(key, CancellationToken.None);
            throw new InvalidOperationException($"The parts of upload {upload.Id} hold {size} bytes, not {upload.UploadLength}");
        }

        return new StoredUpload(mediaId, upload.FileName, upload.FileExtension, joinedKind!, size, joined.Checksum);
    }
}
