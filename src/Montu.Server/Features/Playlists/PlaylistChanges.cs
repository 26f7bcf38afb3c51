using Montu.Server.Data;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Playlists;

/// <summary>Making a playlist, changing its details, and deleting it, which archives it (decision 0026).</summary>
public sealed class PlaylistChanges(
    Db db, PlaylistQueries playlists, PlaylistReader reader, PlaylistWrites writes, ProjectQueries projects, IdGenerator ids, EventLog events)
{
    public async Task<PlaylistOutcome> CreateAsync(CreatePlaylistRequest request, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (request.ProjectId is null)
        {
            problems.Required("projectId");
        }

        PlaylistRules.CheckName(request.Name, problems, required: true);
        problems.MaxLength("description", request.Description, InputLimits.TextLength);
        var reviewDate = PlaylistRules.ParseDate(request.ReviewDate, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        var now = writes.Now;
        var row = new PlaylistRow
        {
            Id = ids.NewId("playlist"),
            ProjectId = request.ProjectId!,
            Name = request.Name!.Trim(),
            Description = request.Description ?? "",
            ReviewDate = reviewDate,
            CreatedBy = caller.UserId,
            Revision = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return await db.InTransactionAsync<PlaylistOutcome>(async tx =>
        {
            if (await projects.FindAsync(tx.Connection!, row.ProjectId, ct, tx) is null)
            {
                return ApiError.NotFound($"Project {Quote.Of(row.ProjectId)} not found");
            }

            await playlists.InsertAsync(tx, row, ct);
            var playlist = row.ToPlaylist([]);
            await events.AppendAsync(tx, new NewEvent("playlist_created", row.ProjectId, "playlist", row.Id, new { playlistId = row.Id, playlist }, caller.UserId), ct);
            return playlist;
        }, ct);
    }

    public async Task<PlaylistOutcome> UpdateAsync(string id, UpdatePlaylistRequest request, IfMatch ifMatch, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        PlaylistRules.CheckName(request.Name, problems, required: false);
        problems.MaxLength("description", request.Description, InputLimits.TextLength);
        var reviewDate = PlaylistRules.ParseDate(request.ReviewDate, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        return await writes.ChangeOpenAsync(id, ifMatch, caller, (_, row, _, _) =>
        {
            var changes = new Dictionary<string, object?>();
            if (request.Name?.Trim() is { } name && name != row.Name)
            {
                changes["name"] = row.Name = name;
            }

            if (request.Description is { } description && description != row.Description)
            {
                changes["description"] = row.Description = description;
            }

            if (reviewDate is not null && reviewDate != row.ReviewDate)
            {
                changes["reviewDate"] = row.ReviewDate = reviewDate;
            }

            return Task.FromResult(changes.Count == 0 ? PlaylistStep.Unchanged : PlaylistStep.Changed("updated", new() { ["changes"] = changes }));
        }, ct);
    }

    /// <summary>Archives the playlist, open or closed: it stays readable by id and leaves lists. Archiving it again changes nothing.</summary>
    public Task<PlaylistOutcome> ArchiveAsync(string id, IfMatch ifMatch, Caller caller, CancellationToken ct) =>
        db.InTransactionAsync<PlaylistOutcome>(async tx =>
        {
            if (await playlists.FindForUpdateAsync(tx, id, ct) is not { } row)
            {
                return PlaylistRules.NotFound(id);
            }

            if (ifMatch.Check(row.Revision, $"Playlist {Quote.Of(id)}") is { } stale)
            {
                return stale;
            }

            if (row.Status != PlaylistRules.Archived)
            {
                var previous = row.Status;
                row.Status = PlaylistRules.Archived;
                row.Revision++;
                row.UpdatedAt = writes.Now;
                await events.AppendAsync(tx, PlaylistQueries.Save(row), new NewEvent("playlist_deleted", row.ProjectId, "playlist", id,
                    new { playlistId = id, projectId = row.ProjectId, status = row.Status, previousStatus = previous, revision = row.Revision }, caller.UserId), ct);
            }

            return await reader.ReadAsync(tx.Connection!, tx, row, ct);
        }, ct);
}
