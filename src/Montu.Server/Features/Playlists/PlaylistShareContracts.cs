using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Montu.Server.Features.Playlists;

/// <summary>Body of <c>POST /playlists/{id}/share</c>: every field may be left out.</summary>
public sealed record CreateShareRequest
{
    [Description("How long the link works, in seconds: 60 to 2592000 (30 days); default 604800 (7 days)"),
     Range(PlaylistShareRules.MinLifetimeSeconds, PlaylistShareRules.MaxLifetimeSeconds)]
    public int? ExpiresInSeconds { get; init; }

    [Description("Whether the guest may write notes on the playlist's media (default false: look only)")]
    public bool? AllowAnnotations { get; init; }

    [Description("The name the guest's notes are shown under: 1 to 100 characters; default \"Guest\""), MaxLength(PlaylistShareRules.GuestNameLength)]
    public string? GuestName { get; init; }
}

/// <summary>A share link as listed: everything but its token, which the server does not keep.</summary>
public sealed record PlaylistShare(
    [property: Description("share_...: names the link when revoking it, and is the author of the guest's notes")] string Id,
    string PlaylistId,
    DateTime ExpiresAt,
    bool AllowAnnotations,
    string GuestName,
    [property: Description("The user who made it")] string CreatedBy,
    DateTime CreatedAt);

/// <summary>A share link just made: the only answer that holds its token.</summary>
public sealed record CreatedShare(
    [property: Description("share_...: names the link when revoking it, and is the author of the guest's notes")] string Id,
    [property: Description("The web app's review page for the link (its token in ?share=)")] string Url,
    [property: Description("mshare_...: send as Authorization: Bearer, or as ?share= on URLs a browser opens; shown once")] string Token,
    DateTime ExpiresAt,
    bool AllowAnnotations,
    string GuestName,
    string CreatedBy,
    DateTime CreatedAt);
