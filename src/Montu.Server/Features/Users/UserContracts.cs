using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Users;

/// <summary>The v2.0 profile block: free text describing the person, not their access. Each field may be left out of a request.</summary>
public sealed record UserProfile(
    [property: MaxLength(InputLimits.UserTextLength)] string? Department = null,
    [property: MaxLength(InputLimits.UserTextLength)] string? Role = null,
    [property: MaxLength(InputLimits.UrlLength)] string? AvatarUrl = null)
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
    [MaxLength(InputLimits.EmailLength)]
    public string? Email { get; init; }

    [MaxLength(InputLimits.UserTextLength)]
    public string? DisplayName { get; init; }

    [Length(InputLimits.PasswordMinLength, InputLimits.PasswordMaxLength)]
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
    [MaxLength(InputLimits.UserTextLength)]
    public string? DisplayName { get; init; }

    public UserProfile? Profile { get; init; }

    [MaxLength(InputLimits.EmailLength)]
    public string? Email { get; init; }

    public bool? IsAdmin { get; init; }

    public bool? Disabled { get; init; }
}

/// <summary>Body of <c>POST /users/{id}/password</c>; changing one's own password needs the current one.</summary>
public sealed record ChangePasswordRequest
{
    [MaxLength(InputLimits.PasswordMaxLength)]
    public string? CurrentPassword { get; init; }

    [Length(InputLimits.PasswordMinLength, InputLimits.PasswordMaxLength)]
    public string? NewPassword { get; init; }
}

/// <summary>The filters a user list was computed with; filters not given are left out, so none of its keys is required.</summary>
public sealed record UserFilters(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Search = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? IncludeDisabled = null);
