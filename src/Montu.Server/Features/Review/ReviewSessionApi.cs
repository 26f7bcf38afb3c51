using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Features.Playlists;
using Montu.Server.Features.Realtime;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Review;

/// <summary>The live review socket, <c>/ws/review/{playlistId}</c>: a channel whose clients also talk to each other (see <see cref="ReviewRoom"/>).</summary>
public static class ReviewSessionApi
{
    private const string Description = """
        Upgrades to a WebSocket for a live review of the playlist: everyone in it sees the same item, frame and play state.
        Client messages: {"type": "join", "name"} first; then {"type": "state", "itemId", "frame", "playing", "rate"} (the presenter only:
        the first to join presents until they hand over or leave), {"type": "pointer", "x", "y"} (fractions 0..1 of the frame, relayed, not stored),
        {"type": "handover", "to": userId} (the presenter only), and {"type": "ping"} / {"type": "auth", "token"} as on every channel.
        Server messages: {"type": "ready"} on connecting, {"type": "presence", "data": {"users", "presenter"}}, {"type": "state", "data"} (the latest
        at once to whoever joins late), {"type": "pointer", "data": {"userId", "name", "x", "y"}}, every annotation_* event of the media the
        playlist shows and the playlist's own playlist_* events. A refused message gets {"type": "error"} and the socket stays open.
        No replay (since is 400). Closes: 4401, 4403 and 1001 as on every channel; 4409 for a client that falls 256 messages behind.
        """;

    public static IServiceCollection AddMontuReviewSessions(this IServiceCollection services) => services.AddSingleton<ReviewPlaylists>().AddSingleton<ReviewRooms>();

    public static void MapReviewSessions(this WebApplication app) =>
        app.MapGet("/ws/review/{playlistId}", ConnectAsync).WithTags("Real time")
            .WithName("ReviewSession").RequireProject(ProjectPermission.Read, resolvedBy: PlaylistsApi.PlaylistProject)
            .WithSummary("WebSocket: a live review of a playlist (presence, presenter, play state, pointers, its media's annotation events)")
            .DocumentsSocket(Description, replays: false);

    private static async Task<Results<EmptyHttpResult, ApiError>> ConnectAsync(
        HttpContext context, string playlistId, ReviewPlaylists playlists, ReviewRooms rooms, Caller caller, CancellationToken ct)
    {
        if (await playlists.ProjectIdOfAsync(playlistId, ct) is not { } projectId)
        {
            return ApiError.NotFound($"Playlist {Quote.Of(playlistId)} not found");
        }

        var scope = new ChannelScope(ChannelKind.Review, projectId, PlaylistId: playlistId);
        return await RealtimeApi.ConnectAsync(context, scope, _ => ValueTask.FromResult<ISocketConversation>(new ReviewParticipant(caller.UserId, rooms, playlistId)));
    }
}
