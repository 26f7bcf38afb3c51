using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.Access;

/// <summary>What a share link may open on an endpoint that declares it (decision 0029).</summary>
public enum ShareScope
{
    /// <summary>The route value <c>playlistId</c> is the link's playlist.</summary>
    Playlist,

    /// <summary>The route value <c>mediaId</c> is a media version the link's playlist shows.</summary>
    Media,

    /// <summary>The route value <c>annotationId</c> is a note on such a media version.</summary>
    Annotation,

    /// <summary>The query value <c>media_id</c> is such a media version.</summary>
    AnnotationsOfMedia,

    /// <summary>The body's <c>mediaId</c> is such a media version, and the link allows annotating.</summary>
    NewAnnotation,
}

/// <summary>Endpoint metadata: share links open this endpoint within <see cref="Scope"/>.</summary>
public sealed record ShareLinkRule(ShareScope Scope);

/// <summary>The verdict on a presented share link: the guest to call as, or the 401 to answer.</summary>
public readonly record struct ShareAdmission(Caller? Guest, ApiError? Refusal);

/// <summary>Decides share links; the playlists feature implements it (<c>PlaylistShareGate</c>).</summary>
public interface IShareLinkGate
{
    /// <summary>
    /// Admits <paramref name="token"/> on this request: unknown, expired, revoked, or outside what
    /// <paramref name="rule"/> opens (null: the endpoint opens nothing to links) is refused.
    /// </summary>
    Task<ShareAdmission> AdmitAsync(HttpContext context, string token, ShareLinkRule? rule);
}

/// <summary>
/// Share links of playlists: a credential in the Authorization header (<c>Bearer mshare_...</c>)
/// or in the URL (<c>?share=</c>, for what a browser opens), which only the share decides.
/// </summary>
public static class ShareLinks
{
    public const string TokenPrefix = "mshare_";
    public const string QueryParameter = "share";

    public static TBuilder OpensToShareLinks<TBuilder>(this TBuilder builder, ShareScope scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ShareLinkRule(scope));

    /// <summary>The share token of a request, or null when it presents none.</summary>
    public static string? Presented(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
        if (IsShareToken(bearer))
        {
            return bearer;
        }

        return context.Request.Query.TryGetValue(QueryParameter, out var shared) ? shared.ToString() : null;
    }

    public static bool IsShareToken(string? token) => token?.StartsWith(TokenPrefix, StringComparison.Ordinal) == true;
}
