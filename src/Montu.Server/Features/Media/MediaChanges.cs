using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
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
    public async Task<MediaOutcome> UpdateAsync(string id, UpdateMediaRequest change, IfMatch ifMatch, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        problems.MaxLength("description", change.Description, Infrastructure.InputLimits.TextLength);
        // JSON null in the list binds despite the type: refused below as an empty tag.
        var tags = change.Tags?.Select(t => t?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
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

            if ((MayChange(row, caller) ?? ifMatch.Check(row.Revision, $"Media {Quote.Of(id)}")) is { } refused)
            {
                return refused;
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
                new { mediaId = id, changes = new { description = change.Description, tags }, revision = row.Revision }, caller.UserId), ct);
            return row.ToItem();
        }, ct);
    }

    /// <summary>Deletes the row and its event, then its files: a file left by a failed delete is unreachable, never a row without its file.</summary>
    public async Task<ApiError?> DeleteAsync(string id, IfMatch ifMatch, Caller caller, CancellationToken ct)
    {
        MediaRow? deleted = null;
        var outcome = await db.InTransactionAsync<MediaOutcome>(async tx =>
        {
            if (await media.FindForUpdateAsync(tx, id, ct) is not { } row)
            {
                return NotFound(id);
            }

            if ((MayChange(row, caller) ?? ifMatch.Check(row.Revision, $"Media {Quote.Of(id)}")) is { } refused)
            {
                return refused;
            }

            deleted = row;
            await media.DeleteAsync(tx, id, ct);
            await events.AppendAsync(tx, new NewEvent("media_deleted", row.ProjectId, "media", id, new { mediaId = id }, caller.UserId), ct);
            return row.ToItem();
        }, ct);

        if (outcome.Error is null && deleted is not null)
        {
            await DeleteFilesAsync(deleted, CancellationToken.None);
        }

        return outcome.Error;
    }

    /// <summary>The original and every file made from it: thumbnail, stream and the frames served so far.</summary>
    private async Task DeleteFilesAsync(MediaRow deleted, CancellationToken ct)
    {
        var keys = new List<string> { deleted.StorageKey };
        keys.AddRange(new[] { deleted.ThumbnailKey, deleted.StreamKey }.OfType<string>().Where(k => k != deleted.StorageKey));
        await foreach (var frame in store.ListAsync(MediaRules.FramePrefix(deleted.Id), ct))
        {
            keys.Add(frame.Key);
        }

        foreach (var key in keys)
        {
            try
            {
                await store.DeleteAsync(key, ct);
            }
            catch (IOException e)
            {
                logger.LogWarning("Media {MediaId} is deleted but its file {Key} could not be: {Reason}", deleted.Id, key, e.Message);
            }
        }
    }

    public static ApiError NotFound(string id) => ApiError.NotFound($"Media {Quote.Of(id)} not found");

    private static ApiError? MayChange(MediaRow row, Caller caller) =>
        row.Author == caller.UserId || ProjectAccess.Can(caller, row.ProjectId, ProjectPermission.Write)
            ? null
            : ApiError.Forbidden("Only its author, or someone who may write on the project, changes or deletes a media version");
}
