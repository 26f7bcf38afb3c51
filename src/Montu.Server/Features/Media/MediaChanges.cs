using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Storage;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Media;

/// <summary>A media write's result: the version as it now is, or why the write was refused.</summary>
public sealed record MediaOutcome(MediaItem? Media, ApiError? Error)
{
    public static implicit operator MediaOutcome(MediaItem media) => new(media, null);

    public static implicit operator MediaOutcome(ApiError error) => new(null, error);
}

/// <summary>Changing and deleting media versions: their author, or anyone who may write on the project.</summary>
public sealed class MediaChanges(Db db, MediaQueries media, IFileStore store, EventLog events, TimeProvider time, ILogger<MediaChanges> logger)
{
    public async Task<MediaOutcome> UpdateAsync(string id, UpdateMediaRequest change, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        problems.MaxLength("description", change.Description, Infrastructure.InputLimits.TextLength);
        var tags = change.Tags?.Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (tags is not null)
        {
            MediaRules.CheckTags(tags, problems);
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        return await db.InTransactionAsync<MediaOutcome>(async tx =>
        {
            if (await media.FindForUpdateAsync(tx, id, ct) is not { } row)
            {
                return NotFound(id);
            }

            if (MayChange(row, caller) is { } denied)
            {
                return denied;
            }

            var description = change.Description ?? row.Description;
            var newTags = tags ?? row.TagList.ToList();
            if (description == row.Description && newTags.SequenceEqual(row.TagList))
            {
                return row.ToItem();
            }

            row.Description = description;
            row.Tags = StorageJson.Write(newTags);
            row.SearchText = MediaRules.SearchText(row.FileName, description, newTags);
            row.Revision++;
            row.UpdatedAt = Tasks.TaskChanges.Stored(time.GetUtcNow().UtcDateTime);
            await events.AppendAsync(tx, media.UpdateDetails(row), new NewEvent("media_updated", row.ProjectId, "media", id,
                new { mediaId = id, changes = new { description = change.Description, tags } }, caller.UserId), ct);
            return row.ToItem();
        }, ct);
    }

    /// <summary>Deletes the row and its event, then its files: a file left by a failed delete is unreachable, never a row without its file.</summary>
    public async Task<ApiError?> DeleteAsync(string id, Caller caller, CancellationToken ct)
    {
        var outcome = await db.InTransactionAsync<MediaOutcome>(async tx =>
        {
            if (await media.FindForUpdateAsync(tx, id, ct) is not { } row)
            {
                return NotFound(id);
            }

            if (MayChange(row, caller) is { } denied)
            {
                return denied;
            }

            await media.DeleteAsync(tx, id, ct);
            await events.AppendAsync(tx, new NewEvent("media_deleted", row.ProjectId, "media", id, new { mediaId = id }, caller.UserId), ct);
            return row.ToItem();
        }, ct);

        if (outcome.Media is { } deleted)
        {
            foreach (var key in new[] { deleted.StorageKey, deleted.ThumbnailKey }.OfType<string>())
            {
                try
                {
                    await store.DeleteAsync(key, CancellationToken.None);
                }
                catch (IOException e)
                {
                    logger.LogWarning("Media {MediaId} is deleted but its file {Key} could not be: {Reason}", id, key, e.Message);
                }
            }
        }

        return outcome.Error;
    }

    public static ApiError NotFound(string id) => ApiError.NotFound($"Media {Quote.Of(id)} not found");

    private static ApiError? MayChange(MediaRow row, Caller caller) =>
        row.Author == caller.UserId || ProjectAccess.Can(caller, row.ProjectId, ProjectPermission.Write)
            ? null
            : ApiError.Forbidden("Only its author, or someone who may write on the project, changes or deletes a media version");
}
