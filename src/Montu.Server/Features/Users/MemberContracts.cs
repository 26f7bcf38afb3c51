using System.ComponentModel.DataAnnotations;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.Users;

/// <summary>A user's membership in a project, as <c>/projects/{id}/users</c> returns it.</summary>
public sealed record ProjectMember(
    string UserId,
    string Email,
    string DisplayName,
    string Role,
    IReadOnlyList<string> Permissions,
    bool Disabled,
    DateTime AddedAt,
    DateTime UpdatedAt);

/// <summary>
/// One member to add (<c>POST /projects/{id}/users</c> takes one or a list): the user by
/// <c>userId</c> or <c>email</c>, and a <c>role</c>. v2.0 clients may send <c>permissions</c>
/// instead (<c>admin</c> → admin, <c>write</c> → artist, else viewer).
/// </summary>
public sealed record AddMemberRequest
{
    [MaxLength(InputLimits.OpaqueValueLength)]
    public string? UserId { get; init; }

    [MaxLength(InputLimits.EmailLength)]
    public string? Email { get; init; }

    [MaxLength(InputLimits.WordLength)]
    public string? Role { get; init; }

    [MaxLength(InputLimits.PermissionsCount), ItemMaxLength(InputLimits.WordLength)]
    public List<string>? Permissions { get; init; }
}

/// <summary>Body of <c>PATCH /projects/{id}/users/{userId}</c>.</summary>
public sealed record UpdateMemberRequest
{
    [MaxLength(InputLimits.WordLength)]
    public string? Role { get; init; }
}
