using System.Collections.Frozen;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Playlists;

/// <summary>
/// Decides a presented share link (decision 0029): a live link on an endpoint it opens, for a
/// resource its playlist shows, lets the request through as a guest: a synthetic caller, client
/// of the link's project, whose id is the link's. Everything else is 401. Nothing is cached, so a
/// revoked link stops at once on every instance.
/// </summary>
public sealed class PlaylistShareGate(PlaylistShareQueries shares, TimeProvider time) : IShareLinkGate
{
    private static readonly ProjectResolver BodyMediaId = ProjectResolver.FromBodyField("mediaId");

    public async Task<ShareAdmission> AdmitAsync(HttpContext context, string token, ShareLinkRule? rule)
    {
        var ct = context.RequestAborted;
        var share = ShareLinks.IsShareToken(token) && token.Length <= PlaylistShareRules.MaxTokenLength
            ? await shares.LiveByTokenAsync(PlaylistShareRules.Hash(token), ct)
            : null;
        if (share is null || PlaylistShareRow.Utc(share.ExpiresAt) <= time.GetUtcNow().UtcDateTime)
        {
            return Refuse(context, "This share link has expired or been revoked", invalidToken: true);
        }

        if (rule is null)
        {
            return Refuse(context, "A share link opens only its playlist", invalidToken: false);
        }

        var opened = rule.Scope switch
        {
            ShareScope.Playlist => Route(context, "playlistId") == share.PlaylistId,
            ShareScope.Media => await ShowsAsync(share, Route(context, "mediaId"), ct),
            ShareScope.Annotation => Route(context, "annotationId") is { } annotationId
                && await ShowsAsync(share, await shares.MediaOfAnnotationAsync(annotationId, ct), ct),
            ShareScope.AnnotationsOfMedia => context.Request.Query["media_id"] is [{ Length: > 0 } mediaId] && await ShowsAsync(share, mediaId, ct),
            ShareScope.NewAnnotation => share.AllowAnnotations,
            _ => false,
        };
        if (opened && rule.Scope == ShareScope.NewAnnotation)
        {
            var body = await BodyMediaId.ResolveAsync(context);
            if (body.Failure is { } unreadable)
            {
                return new ShareAdmission(null, unreadable);
            }

            opened = await ShowsAsync(share, body.ProjectId, ct);
        }

        return opened ? new ShareAdmission(Guest(share), null) : Refuse(context, "A share link opens only its playlist", invalidToken: false);
    }

    private static string? Route(HttpContext context, string name) => context.Request.RouteValues[name] as string;

    private Task<bool> ShowsAsync(PlaylistShareRow share, string? mediaId, CancellationToken ct) =>
        mediaId is { Length: > 0 } ? shares.ShowsMediaAsync(share.PlaylistId, mediaId, ct) : Task.FromResult(false);

    /// <summary>A client of the link's project and nothing more: the project rules and handlers then treat it as any client.</summary>
    private static Caller Guest(PlaylistShareRow share) => new(
        new UserAccess(share.Id, "", share.GuestName, IsAdmin: false, Disabled: false, TokensNotBefore: null,
            new Dictionary<string, string> { [share.ProjectId] = ProjectRoles.Client }.ToFrozenDictionary(StringComparer.Ordinal),
            FrozenSet<string>.Empty, FrozenSet<string>.Empty),
        tokenId: share.Id, sessionId: null, projectId: share.ProjectId, expiresAt: new DateTimeOffset(PlaylistShareRow.Utc(share.ExpiresAt)), isGuest: true);

    private static ShareAdmission Refuse(HttpContext context, string message, bool invalidToken)
    {
        context.Response.Headers.WWWAuthenticate = invalidToken ? $"Bearer error=\"invalid_token\", error_description=\"{message}\"" : "Bearer";
        return new ShareAdmission(null, ApiError.Unauthorized(message));
    }
}
