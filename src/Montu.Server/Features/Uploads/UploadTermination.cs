using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// Ends uploads: a client's <c>DELETE</c> (tus termination), an upload refused midway, and the
/// expiry job. The rows go first, in one transaction, then the bytes; a crash in between leaves
/// parts no row names, which <see cref="UploadPartSweep"/> removes at the next start.
/// </summary>
public sealed class UploadTermination(IFileStore store, UploadQueries uploads, TimeProvider time)
{
    /// <summary>Unfinished uploads are removed this long after they were created; finished ones keep answering HEAD until then.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// The upload, if it is the caller's and has not expired; otherwise 404 with the same words
    /// whatever the reason, so another user's uploads are not disclosed.
    /// </summary>
    public async Task<(UploadRow? Upload, ApiError? Refused)> FindOwnAsync(string uploadId, Caller caller, CancellationToken ct)
    {
        var upload = await uploads.FindAsync(uploadId, ct);
        return upload is not null && upload.CreatedBy == caller.UserId && DateTime.SpecifyKind(upload.ExpiresAt, DateTimeKind.Utc) > time.GetUtcNow().UtcDateTime
            ? (upload, null)
            : (null, ApiError.NotFound($"Upload {Quote.Of(uploadId)} not found; uploads are removed {Lifetime.TotalHours:0} hours after they were created"));
    }

    /// <summary>
    /// Removes the upload, its parts and their bytes (and <paramref name="unrecordedKey"/>, a part
    /// stored but not yet recorded); false when there was no such upload.
    /// </summary>
    public async Task<bool> RemoveAsync(string uploadId, string? unrecordedKey = null)
    {
        var keys = await uploads.DeleteAsync(uploadId, CancellationToken.None);
        foreach (var key in (keys ?? []).Append(unrecordedKey).OfType<string>())
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }

        return keys is not null;
    }
}
