using System.ComponentModel.DataAnnotations;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Auth;

/// <summary>Body of <c>POST /auth/login</c>. <c>projectId</c> chooses the project whose permissions the response reports.</summary>
public sealed record LoginRequest
{
    [MaxLength(InputLimits.EmailLength)]
    public string? Email { get; init; }

    [MaxLength(InputLimits.PasswordMaxLength)]
    public string? Password { get; init; }

    [MaxLength(InputLimits.ProjectIdLength)]
    public string? ProjectId { get; init; }
}

/// <summary>Body of <c>POST /auth/refresh</c>.</summary>
public sealed record RefreshRequest
{
    [MaxLength(InputLimits.OpaqueValueLength)]
    public string? RefreshToken { get; init; }
}

/// <summary>
/// The answer to login and refresh. <c>role</c> adds
/// the member's project role to the spec's coarse <c>permissions</c>.
/// </summary>
public sealed record TokenResponse(
    string AccessToken,
    string TokenType,
    int ExpiresIn,
    string RefreshToken,
    string UserId,
    string? ProjectId,
    IReadOnlyList<string> Permissions,
    string? Role);

/// <summary><c>GET /auth/me</c>: the v2.0 user shape, plus the project role and the server-admin flag.</summary>
public sealed record CurrentUser(
    string UserId,
    string Email,
    string DisplayName,
    string? ProjectId,
    string? Role,
    IReadOnlyList<string> Permissions,
    bool IsAdmin,
    UserProfile Profile,
    DateTime? LastLogin);
