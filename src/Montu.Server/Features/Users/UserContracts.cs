using System.Text.Json.Serialization;

namespace Montu.Server.Features.Users;

/// <summary>The v2.0 profile block: free text describing the person, not their access.</summary>
public sealed record UserProfile(string? Department, string? Role, string? AvatarUrl)
{
    public static readonly UserProfile Empty = new(null, null, null);
}

/// <summary>A user as the users API returns it. Password hashes never leave the server.</summary>
public sealed record User(
    string Id,
    string Email,
    string DisplayName,
    bool IsAdmin,
    bool Disabled,
    UserProfile Profile,
    DateTime? LastLogin,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>Body of <c>POST /users</c>. Without a password the user can only sign in through an external issuer.</summary>
public sealed record CreateUserRequest
{
    public string? Email { get; init; }

    public string? DisplayName { get; init; }

    public string? Password { get; init; }

    public bool? IsAdmin { get; init; }

    public UserProfile? Profile { get; init; }
}

/// <summary>
/// Body of <c>PATCH /users/{id}</c>. Users may change their own display name and profile;
/// <c>email</c>, <c>isAdmin</c> and <c>disabled</c> only an administrator, and never their own.
/// Profile fields merge one by one; an empty string clears one.
/// </summary>
public sealed record UpdateUserRequest
{
    public string? DisplayName { get; init; }

    public UserProfile? Profile { get; init; }

    public string? Email { get; init; }

    public bool? IsAdmin { get; init; }

    public bool? Disabled { get; init; }
}

/// <summary>Body of <c>POST /users/{id}/password</c>; changing one's own password needs the current one.</summary>
public sealed record ChangePasswordRequest
{
    public string? CurrentPassword { get; init; }

    public string? NewPassword { get; init; }
}

/// <summary>The filters a user list was computed with.</summary>
public sealed record UserFilters(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Search,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? IncludeDisabled);
