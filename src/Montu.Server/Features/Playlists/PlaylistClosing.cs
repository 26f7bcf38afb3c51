using Montu.Server.Features.Media;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Playlists;

/// <summary>
/// Closing a playlist: every item's decision becomes its media's approval, as
/// <c>POST /media/{id}/approve</c> would make it (task status, events), and the playlist is
/// closed, all in one transaction. One refusal rolls all of it back and names the item.
/// </summary>
public sealed class PlaylistClosing(PlaylistWrites writes, MediaApprovals approvals)
{
    public async Task<PlaylistOutcome> CloseAsync(string id, IfMatch ifMatch, Caller caller, CancellationToken ct)
    {
        try
        {
            return await writes.ChangeOpenAsync(id, ifMatch, caller, async (tx, playlist, items, now) =>
            {
                var applied = new List<object>();
                foreach (var item in items.Where(i => i.Decision is not null))
                {
                    var outcome = await approvals.ApplyAsync(tx, item.MediaId, item.Decision!, item.DecisionNotes, IfMatch.Absent, caller, now, ct);
                    if (outcome.Error is { } refused)
                    {
                        // Thrown, not returned: the reviews applied before this item must be rolled back with it.
                        throw new CloseRefusedException(Naming(item, refused));
                    }

                    applied.Add(new { itemId = item.Id, mediaId = item.MediaId, decision = item.Decision });
                }

                (playlist.Status, playlist.ClosedBy, playlist.ClosedAt) = (PlaylistRules.Closed, caller.UserId, now);
                return PlaylistStep.Changed("closed", new() { ["status"] = PlaylistRules.Closed, ["applied"] = applied });
            }, ct);
        }
        catch (CloseRefusedException refused)
        {
            return refused.Error;
        }
    }

    /// <summary>The refusal, said of the item: a deleted version is a conflict with the playlist, not a missing route.</summary>
    private static ApiError Naming(PlaylistItemRow item, ApiError refused)
    {
        var what = $"Item {Quote.Of(item.Id)} (position {item.Position}, media {Quote.Of(item.MediaId)})";
        var details = refused.Details.Prepend(new FieldError("items", $"{what} cannot be reviewed", ErrorCodes.InvalidValue)).ToList();
        return refused.StatusCode == StatusCodes.Status404NotFound
            ? ApiError.Conflict($"{what} shows a version that has been deleted; remove the item or bump it, then close again", [.. details])
            : new ApiError(refused.StatusCode, $"{what}: {refused.Message}; nothing was applied", details);
    }

    private sealed class CloseRefusedException(ApiError error) : Exception(error.Message)
    {
        public ApiError Error => error;
    }
}
