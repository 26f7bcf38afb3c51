using System.Data.Common;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Playlists;

/// <summary>A playlist write's result: the playlist as it now is, or why the write was refused.</summary>
public sealed record PlaylistOutcome(Playlist? Playlist, ApiError? Error)
{
    public static implicit operator PlaylistOutcome(Playlist playlist) => new(playlist, null);

    public static implicit operator PlaylistOutcome(ApiError error) => new(null, error);
}

/// <summary>
/// What a change to an open playlist did: the <c>playlist_updated</c> payload to record (its
/// <c>action</c> and what acting on it needs), nothing when the request changed nothing, or a refusal.
/// </summary>
public sealed record PlaylistStep(Dictionary<string, object?>? Payload, ApiError? Error)
{
    public static readonly PlaylistStep Unchanged = new(null, null);

    public static PlaylistStep Changed(string action, Dictionary<string, object?> payload)
    {
        payload["action"] = action;
        return new(payload, null);
    }

    public static implicit operator PlaylistStep(ApiError error) => new(null, error);
}

/// <summary>
/// The one path every change to a playlist or its items takes: the playlist locked, If-Match
/// compared with its revision, a closed or archived playlist refused with 409, then the change,
/// the revision moved and <c>playlist_updated</c> written in the same transaction.
/// </summary>
public sealed class PlaylistWrites(Db db, PlaylistQueries playlists, PlaylistReader reader, EventLog events, TimeProvider time)
{
    public DateTime Now => TaskChanges.Stored(time.GetUtcNow().UtcDateTime);

    public Task<PlaylistOutcome> ChangeOpenAsync(
        string id, IfMatch ifMatch, Caller caller, Func<DbTransaction, PlaylistRow, List<PlaylistItemRow>, DateTime, Task<PlaylistStep>> change, CancellationToken ct) =>
        db.InTransactionAsync<PlaylistOutcome>(async tx =>
        {
            if (await playlists.FindForUpdateAsync(tx, id, ct) is not { } row)
            {
                return PlaylistRules.NotFound(id);
            }

            if ((ifMatch.Check(row.Revision, $"Playlist {Quote.Of(id)}") ?? PlaylistRules.CheckOpen(row)) is { } refused)
            {
                return refused;
            }

            var now = Now;
            var items = await playlists.ItemsAsync(tx.Connection!, tx, id, ct);
            var step = await change(tx, row, items, now);
            if (step.Error is { } error)
            {
                return error;
            }

            if (step.Payload is { } payload)
            {
                row.Revision++;
                row.UpdatedAt = now;
                payload["playlistId"] = id;
                payload["revision"] = row.Revision;
                await events.AppendAsync(tx, PlaylistQueries.Save(row), new NewEvent("playlist_updated", row.ProjectId, "playlist", id, payload, caller.UserId), ct);
            }

            return await reader.ReadAsync(tx.Connection!, tx, row, ct);
        }, ct);

    /// <summary>Numbers the items 0, 1, 2... in the order given and writes those whose position moved.</summary>
    public Task RenumberAsync(DbTransaction tx, IReadOnlyList<PlaylistItemRow> ordered, CancellationToken ct)
    {
        var moved = new List<PlaylistItemRow>();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].Position != i)
            {
                ordered[i].Position = i;
                moved.Add(ordered[i]);
            }
        }

        return moved.Count == 0 ? Task.CompletedTask : playlists.SaveItemsAsync(tx, moved, ct);
    }
}
