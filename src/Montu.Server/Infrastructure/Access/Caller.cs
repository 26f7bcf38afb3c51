using System.Collections.Frozen;

namespace Montu.Server.Infrastructure.Access;

/// <summary>
/// What access checks need to know about a user, loaded once and cached
/// (<c>Features/Auth/UserAccessCache</c>): flags, project roles and the tokens ended early. Email
/// and display name let handlers of <see cref="ProjectPermission.WriteAssigned"/> routes match
/// the caller against an assignment.
/// </summary>
public sealed record UserAccess(
    string Id,
    string Email,
    string DisplayName,
    bool IsAdmin,
    bool Disabled,
    DateTime? TokensNotBefore,
    FrozenDictionary<string, string> Roles,
    FrozenSet<string> DeniedTokenIds,
    FrozenSet<string> RevokedSessions);

/// <summary>
/// The authenticated user of this request and the token they presented, or the guest of a share
/// link. A handler takes it as a parameter (<c>Caller caller</c>); it exists on every route but
/// public ones.
/// </summary>
public sealed class Caller(UserAccess user, string tokenId, string? sessionId, string? projectId, DateTimeOffset expiresAt, bool isGuest = false)
{
    public UserAccess User => user;

    public string UserId => user.Id;

    public bool IsServerAdmin => user.IsAdmin;

    /// <summary>The <c>jti</c> of the access token (or a hash of it when an external issuer sets none).</summary>
    public string TokenId => tokenId;

    /// <summary>The refresh-token family this access token belongs to; null for external tokens.</summary>
    public string? SessionId => sessionId;

    /// <summary>The project chosen at login: the default context, never a limit on other memberships.</summary>
    public string? ProjectId => projectId;

    public DateTimeOffset ExpiresAt => expiresAt;

    /// <summary>A guest of a playlist's share link (decision 0029): <see cref="UserId"/> is the link's id, no user's.</summary>
    public bool IsGuest => isGuest;

    /// <summary>The caller's role in a project, or null when not a member.</summary>
    public string? RoleIn(string projectId) => user.Roles.GetValueOrDefault(projectId);

    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult(context.Features.Get<Caller>());
}
