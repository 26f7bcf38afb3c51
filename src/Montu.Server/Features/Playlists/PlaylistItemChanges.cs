using System.Data.Common;
using Montu.Server.Features.Media;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Playlists;

/// <summary>Adding, deciding on, bumping, removing and reordering the items of an open playlist.</summary>
public sealed class PlaylistItemChanges(PlaylistWrites writes, PlaylistQueries playlists, PlaylistReader reader, MediaQueries media, TaskQueries tasks, IdGenerator ids)
{
    public async Task<PlaylistOutcome> AddAsync(string id, AddPlaylistItemRequest request, IfMatch ifMatch, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if ((request.MediaId is null) == (request.TaskId is null))
        {
            problems.Add("mediaId", "Give either mediaId (a version) or taskId (the task's newest version), not both", ErrorCodes.RequiredField);
        }
        else if (request.FollowLatest == true && request.TaskId is null)
        {
            problems.Add("followLatest", "followLatest follows a task's newest version: add the item by taskId");
        }

        if (request.Position is < 0 or > PlaylistRules.MaxItems)
        {
            problems.Add("position", $"position is 0 to {PlaylistRules.MaxItems}", ErrorCodes.OutOfRange);
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        return await writes.ChangeOpenAsync(id, ifMatch, caller, async (tx, playlist, items, now) =>
        {
            if (items.Count >= PlaylistRules.MaxItems)
            {
                return ApiError.BusinessRule($"Playlist {Quote.Of(id)} holds {PlaylistRules.MaxItems} items, as many as one may");
            }

            var (version, refused) = request.MediaId is { } mediaId
                ? await MediaOfProjectAsync(tx, mediaId, playlist.ProjectId, caller, ct)
                : await NewestOfTaskAsync(tx, request.TaskId!, playlist.ProjectId, caller, ct);
            if (refused is not null)
            {
                return refused;
            }

            var item = new PlaylistItemRow
            {
                Id = ids.NewId("pli"),
                PlaylistId = id,
                MediaId = version!.Id,
                TaskId = version.TaskId,
                FollowLatest = request.FollowLatest == true,
                Position = Math.Min(request.Position ?? items.Count, items.Count),
                CreatedAt = now,
            };
            await writes.RenumberAsync(tx, [.. items.Take(item.Position), item, .. items.Skip(item.Position)], ct);
            await playlists.InsertItemAsync(tx, item, ct);
            return PlaylistStep.Changed("item_added", new()
            {
                ["item"] = new { id = item.Id, mediaId = item.MediaId, taskId = item.TaskId, followLatest = item.FollowLatest, position = item.Position },
            });
        }, ct);
    }

    /// <summary>
    /// Sets the item's decision and notes as sent. A decision on an item that follows its task pins
    /// the version shown now, so the decision applies to the version that was reviewed.
    /// </summary>
    public async Task<PlaylistOutcome> DecideAsync(string id, string itemId, UpdatePlaylistItemRequest request, IfMatch ifMatch, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (request.Decision is { } wanted && !PlaylistRules.Decisions.Contains(wanted))
        {
            problems.Add("decision", $"'decision' must be one of: {string.Join(", ", PlaylistRules.Decisions)}, or null");
        }

        problems.MaxLength("decisionNotes", request.DecisionNotes, InputLimits.TextLength);
        if (problems.Any)
        {
            return problems.ToError();
        }

        return await writes.ChangeOpenAsync(id, ifMatch, caller, async (tx, _, items, _) =>
        {
            if (items.Find(i => i.Id == itemId) is not { } item)
            {
                return PlaylistRules.ItemNotFound(id, itemId);
            }

            var pinned = item.MediaId;
            if (request.Decision is not null && item.FollowLatest)
            {
                pinned = (await reader.ShownAsync(tx.Connection!, tx, [item], ct))[item.Id]?.Id ?? item.MediaId;
            }

            var follows = item.FollowLatest && request.Decision is null;
            if (item.Decision == request.Decision && item.DecisionNotes == request.DecisionNotes && item.MediaId == pinned && item.FollowLatest == follows)
            {
                return PlaylistStep.Unchanged;
            }

            (item.Decision, item.DecisionNotes, item.MediaId, item.FollowLatest) = (request.Decision, request.DecisionNotes, pinned, follows);
            await playlists.SaveItemsAsync(tx, [item], ct);
            return PlaylistStep.Changed("item_decided", new()
            {
                ["item"] = new { id = item.Id, mediaId = item.MediaId, followLatest = item.FollowLatest, decision = item.Decision, decisionNotes = item.DecisionNotes },
            });
        }, ct);
    }

    /// <summary>Pins the newest version of the item's task; a decision taken on the version it showed before is cleared.</summary>
    public Task<PlaylistOutcome> BumpAsync(string id, string itemId, IfMatch ifMatch, Caller caller, CancellationToken ct) =>
        writes.ChangeOpenAsync(id, ifMatch, caller, async (tx, _, items, _) =>
        {
            if (items.Find(i => i.Id == itemId) is not { } item)
            {
                return PlaylistRules.ItemNotFound(id, itemId);
            }

            if (item.TaskId is null)
            {
                return ApiError.BusinessRule($"Item {Quote.Of(itemId)} shows a project-level file, which belongs to no task and has no newer versions");
            }

            if (await media.NewestOfTasksAsync(tx.Connection!, tx, [item.TaskId], ct) is not [var newest, ..])
            {
                return ApiError.BusinessRule($"Task {Quote.Of(item.TaskId)} has no media versions left");
            }

            if (newest.Id == item.MediaId && !item.FollowLatest)
            {
                return PlaylistStep.Unchanged;
            }

            var previous = item.MediaId;
            if (newest.Id != previous)
            {
                (item.Decision, item.DecisionNotes) = (null, null);
            }

            (item.MediaId, item.FollowLatest) = (newest.Id, false);
            await playlists.SaveItemsAsync(tx, [item], ct);
            return PlaylistStep.Changed("item_bumped", new()
            {
                ["item"] = new { id = item.Id, mediaId = item.MediaId, followLatest = false, decision = item.Decision },
                ["previousMediaId"] = previous,
            });
        }, ct);

    public Task<PlaylistOutcome> RemoveAsync(string id, string itemId, IfMatch ifMatch, Caller caller, CancellationToken ct) =>
        writes.ChangeOpenAsync(id, ifMatch, caller, async (tx, _, items, _) =>
        {
            if (items.Find(i => i.Id == itemId) is not { } item)
            {
                return PlaylistRules.ItemNotFound(id, itemId);
            }

            await playlists.DeleteItemAsync(tx, itemId, ct);
            await writes.RenumberAsync(tx, items.Where(i => i.Id != itemId).ToList(), ct);
            return PlaylistStep.Changed("item_removed", new() { ["itemId"] = itemId, ["mediaId"] = item.MediaId });
        }, ct);

    /// <summary>Puts the items in the order listed, which must name every item exactly once.</summary>
    public async Task<PlaylistOutcome> ReorderAsync(string id, List<string?>? itemIds, IfMatch ifMatch, Caller caller, CancellationToken ct)
    {
        if (itemIds is null)
        {
            return ApiError.Validation(new FieldError("itemIds", "The body is the list of the playlist's item ids, in the new order", ErrorCodes.RequiredField));
        }

        if (itemIds.Count > PlaylistRules.MaxItems)
        {
            return ApiError.Validation(new FieldError("itemIds", $"At most {PlaylistRules.MaxItems} item ids", ErrorCodes.OutOfRange));
        }

        return await writes.ChangeOpenAsync(id, ifMatch, caller, async (tx, _, items, _) =>
        {
            var byId = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
            var problems = new ValidationProblems();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < itemIds.Count; i++)
            {
                if (itemIds[i] is not { } itemId || !byId.ContainsKey(itemId))
                {
                    problems.Add($"itemIds[{i}]", $"{Quote.Of(itemIds[i] ?? "null")} is not an item of playlist {Quote.Of(id)}");
                }
                else if (!seen.Add(itemId))
                {
                    problems.Add($"itemIds[{i}]", $"{Quote.Of(itemId)} is listed twice; list each item exactly once");
                }
            }

            foreach (var missing in items.Where(i => !seen.Contains(i.Id)))
            {
                problems.Add("itemIds", $"Item {Quote.Of(missing.Id)} is left out; list every item of the playlist exactly once", ErrorCodes.RequiredField);
            }

            if (problems.Any)
            {
                return problems.ToError();
            }

            var ordered = itemIds.Select(i => byId[i!]).ToList();
            if (ordered.Select((item, index) => item.Position == index).All(same => same))
            {
                return PlaylistStep.Unchanged;
            }

            await writes.RenumberAsync(tx, ordered, ct);
            return PlaylistStep.Changed("reordered", new() { ["itemIds"] = ordered.Select(i => i.Id).ToList() });
        }, ct);
    }

    /// <summary>
    /// The version named, when it is in the playlist's project. One the caller cannot see, in a
    /// project they cannot read or nowhere, is 404 alike; one they can see elsewhere is 400.
    /// </summary>
    private async Task<(MediaRow? Version, ApiError? Refused)> MediaOfProjectAsync(DbTransaction tx, string mediaId, string projectId, Caller caller, CancellationToken ct)
    {
        var version = await media.FindManyAsync(tx.Connection!, tx, [mediaId], ct) is [var found, ..] ? found : null;
        if (version is null || (version.ProjectId != projectId && !ProjectAccess.Can(caller, version.ProjectId, ProjectPermission.Read)))
        {
            return (null, MediaChanges.NotFound(mediaId));
        }

        return version.ProjectId == projectId
            ? (version, null)
            : (null, OtherProject("mediaId", $"Media {Quote.Of(mediaId)}", version.ProjectId, projectId));
    }

    private async Task<(MediaRow? Version, ApiError? Refused)> NewestOfTaskAsync(DbTransaction tx, string taskId, string projectId, Caller caller, CancellationToken ct)
    {
        var taskProject = await tasks.ProjectIdOfAsync(taskId, ct);
        if (taskProject is null || (taskProject != projectId && !ProjectAccess.Can(caller, taskProject, ProjectPermission.Read)))
        {
            return (null, TaskWriter.NotFound(taskId));
        }

        if (taskProject != projectId)
        {
            return (null, OtherProject("taskId", $"Task {Quote.Of(taskId)}", taskProject, projectId));
        }

        return await media.NewestOfTasksAsync(tx.Connection!, tx, [taskId], ct) is [var newest, ..]
            ? (newest, null)
            : (null, ApiError.BusinessRule($"Task {Quote.Of(taskId)} has no media version yet; upload one before adding it"));
    }

    private static ApiError OtherProject(string field, string what, string theirs, string ours) => ApiError.Validation(new FieldError(field,
        $"{what} belongs to project {Quote.Of(theirs)}; a playlist of {Quote.Of(ours)} holds versions of its own project", ErrorCodes.InvalidValue));
}
