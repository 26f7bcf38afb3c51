using Montu.Server.Data;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Playlists;

/// <summary>
/// Making, listing and revoking a playlist's share links (decision 0029). A closed playlist may
/// still be shared, for a client to look back on; an archived one may not. Each change writes its
/// event, which never holds the token, in the same transaction.
/// </summary>
public sealed class PlaylistShares(Db db, PlaylistQueries playlists, PlaylistShareQueries shares, PlaylistWrites writes, IdGenerator ids, EventLog events)
{
    public async Task<(CreatedShare? Share, ApiError? Error)> CreateAsync(string playlistId, CreateShareRequest request, HttpRequest http, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        PlaylistShareRules.Check(request, problems);
        if (problems.Any)
        {
            return (null, problems.ToError());
        }

        var token = PlaylistShareRules.NewToken();
        var now = writes.Now;
        var row = new PlaylistShareRow
        {
            Id = ids.NewId("share"),
            PlaylistId = playlistId,
            TokenHash = PlaylistShareRules.Hash(token),
            AllowAnnotations = request.AllowAnnotations ?? false,
            GuestName = request.GuestName?.Trim() ?? PlaylistShareRules.DefaultGuestName,
            CreatedBy = caller.UserId,
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(request.ExpiresInSeconds ?? PlaylistShareRules.DefaultLifetimeSeconds),
        };
        var error = await db.InTransactionAsync<ApiError?>(async tx =>
        {
            // Locked, so an archive running at the same time either comes first and is seen, or waits.
            if (await playlists.FindForUpdateAsync(tx, playlistId, ct) is not { } playlist)
            {
                return PlaylistRules.NotFound(playlistId);
            }

            if (playlist.Status == PlaylistRules.Archived)
            {
                return ApiError.Conflict($"Playlist {Quote.Of(playlistId)} is archived (deleted): it can no longer be shared");
            }

            row.ProjectId = playlist.ProjectId;
            await shares.InsertAsync(tx, row, ct);
            await events.AppendAsync(tx, new NewEvent("playlist_shared", row.ProjectId, "playlist", playlistId,
                new { playlistId, share = row.ToShare() }, caller.UserId), ct);
            return null;
        }, ct);
        if (error is not null)
        {
            return (null, error);
        }

        var url = $"{http.Scheme}://{http.Host}/review/{Uri.EscapeDataString(playlistId)}?{ShareLinks.QueryParameter}={token}";
        var share = row.ToShare();
        return (new CreatedShare(share.Id, url, token, share.ExpiresAt, share.AllowAnnotations, share.GuestName, share.CreatedBy, share.CreatedAt), null);
    }

    public Task<IReadOnlyList<PlaylistShareRow>> ActiveAsync(string playlistId, CancellationToken ct) => shares.ActiveAsync(playlistId, writes.Now, ct);

    /// <summary>Revokes the link named by its token or its id; revoking it again changes nothing.</summary>
    public Task<ApiError?> RevokeAsync(string playlistId, string tokenOrId, Caller caller, CancellationToken ct) =>
        db.InTransactionAsync<ApiError?>(async tx =>
        {
            var named = tokenOrId.Trim();
            if (named.Length > PlaylistShareRules.MaxTokenLength
                || await shares.FindForUpdateAsync(tx, playlistId, named, PlaylistShareRules.Hash(named), ct) is not { } row)
            {
                return PlaylistShareRules.NotFound(playlistId, named);
            }

            if (row.RevokedAt is null)
            {
                row.RevokedAt = writes.Now;
                row.RevokedBy = caller.UserId;
                await events.AppendAsync(tx, PlaylistShareQueries.Revoke(row), new NewEvent("playlist_share_revoked", row.ProjectId, "playlist", playlistId,
                    new { playlistId, shareId = row.Id }, caller.UserId), ct);
            }

            return null;
        }, ct);
}
