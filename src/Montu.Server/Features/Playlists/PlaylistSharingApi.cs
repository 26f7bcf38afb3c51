using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Idempotency;

namespace Montu.Server.Features.Playlists;

/// <summary>A playlist's notes as CSV, and its share links (decision 0029).</summary>
public static class PlaylistSharingApi
{
    public static void MapPlaylistSharingApi(this RouteGroupBuilder group, ProjectResolver playlistProject)
    {
        group.MapGet("/{playlistId}/notes.csv", NotesCsv).WithName("ExportPlaylistNotes").RequireProject(ProjectPermission.Read, resolvedBy: playlistProject)
            .OpensToShareLinks(ShareScope.Playlist)
            .WithSummary("The notes on the versions the playlist shows, as CSV: item, then the notes export's columns; item by item, then by frame")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").ProducesErrors(401, 404);
        group.MapPost("/{playlistId}/share", Share).WithName("SharePlaylist").RequireProject(ProjectPermission.Write, resolvedBy: playlistProject)
            .NeverCompressed().RefusesIdempotencyKeys("its answer holds the link's token, which is never stored for replays")
            .WithSummary("Make a share link: its token opens this playlist, its media and their notes (and writing notes, when allowed) until it expires or is revoked")
            .ProducesErrors(400, 401, 403, 404, 409, 415);
        group.MapGet("/{playlistId}/share", ListShares).WithName("ListPlaylistShares").RequireProject(ProjectPermission.Write, resolvedBy: playlistProject)
            .WithSummary("The playlist's share links that still work (neither expired nor revoked), oldest first, without their tokens")
            .ProducesErrors(401, 403, 404);
        group.MapDelete("/{playlistId}/share/{link}", Revoke).WithName("RevokePlaylistShare").RequireProject(ProjectPermission.Write, resolvedBy: playlistProject)
            .WithSummary("Revoke a share link, named by its id (share_...) or its token: the next request with it is refused")
            .ProducesErrors(401, 403, 404);
    }

    private static async Task<IResult> NotesCsv(string playlistId, PlaylistNotes notes, HttpContext http, CancellationToken ct)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{playlistId}-notes.csv\"";
        await notes.WriteAsync(http.Response.Body, playlistId, ct);
        return TypedResults.Empty;
    }

    private static async Task<Results<Created<CreatedShare>, ApiError>> Share(
        string playlistId, CreateShareRequest body, PlaylistShares shares, HttpRequest http, Caller caller, CancellationToken ct)
    {
        var (share, error) = await shares.CreateAsync(playlistId, body, http, caller, ct);
        return error ?? (Results<Created<CreatedShare>, ApiError>)TypedResults.Created($"/api/v1/playlists/{playlistId}/share", share!);
    }

    private static async Task<Ok<IReadOnlyList<PlaylistShare>>> ListShares(string playlistId, PlaylistShares shares, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<PlaylistShare>>((await shares.ActiveAsync(playlistId, ct)).Select(s => s.ToShare()).ToList());

    private static async Task<Results<NoContent, ApiError>> Revoke(string playlistId, string link, PlaylistShares shares, Caller caller, CancellationToken ct) =>
        await shares.RevokeAsync(playlistId, link, caller, ct) is { } error ? error : TypedResults.NoContent();
}
