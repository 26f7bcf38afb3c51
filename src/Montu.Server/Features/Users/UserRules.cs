using System.Net.Mail;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Users;

/// <summary>What makes user fields valid. Error messages never repeat a password.</summary>
public static class UserRules
{
    private const int MinPasswordLength = InputLimits.PasswordMinLength;
    private const int MaxPasswordLength = InputLimits.PasswordMaxLength;
    private const int MaxText = InputLimits.UserTextLength;

    /// <summary>The form emails are compared in: unique per server, case-insensitive.</summary>
    public static string EmailKey(string email) => email.Trim().ToLowerInvariant();

    public static void CheckEmail(string? email, ValidationProblems problems, string field = "email")
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            problems.Required(field);
        }
        else if (trimmed.Length > InputLimits.EmailLength)
        {
            problems.Add(field, $"Must be at most {InputLimits.EmailLength} characters", ErrorCodes.OutOfRange);
        }
        else if (trimmed.Any(char.IsWhiteSpace) || !MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed)
        {
            problems.Add(field, "Must be an email address such as jane@studio.com", ErrorCodes.InvalidFormat);
        }
    }

    public static void CheckDisplayName(string? name, ValidationProblems problems)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Required("displayName");
        }
        else
        {
            CheckText(name, "displayName", problems);
        }
    }

    public static void CheckPassword(string? password, string field, ValidationProblems problems)
    {
        if (string.IsNullOrEmpty(password))
        {
            problems.Required(field);
        }
        else if (password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            problems.Add(field, $"Passwords have {MinPasswordLength} to {MaxPasswordLength} characters", ErrorCodes.OutOfRange);
        }
    }

    public static void CheckProfile(UserProfile? profile, ValidationProblems problems)
    {
        if (profile is null)
        {
            return;
        }

        CheckText(profile.Department, "profile.department", problems);
        CheckText(profile.Role, "profile.role", problems);
        if (profile.AvatarUrl?.Length > InputLimits.UrlLength)
        {
            problems.Add("profile.avatarUrl", $"At most {InputLimits.UrlLength} characters", ErrorCodes.OutOfRange);
        }
        else if (profile.AvatarUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
        {
            problems.Add("profile.avatarUrl", "Must be an http or https URL", ErrorCodes.InvalidFormat);
        }
    }

    /// <summary>Profile fields given replace the stored ones; an empty string clears one.</summary>
    public static UserProfile Merge(UserProfile current, UserProfile? change) => change is null ? current : new UserProfile(
        Pick(current.Department, change.Department), Pick(current.Role, change.Role), Pick(current.AvatarUrl, change.AvatarUrl));

    private static string? Pick(string? current, string? change) => change is null ? current : change.Trim() is { Length: > 0 } value ? value : null;

    private static void CheckText(string? value, string field, ValidationProblems problems)
    {
        if (value?.Length > MaxText)
        {
            problems.Add(field, $"At most {MaxText} characters", ErrorCodes.OutOfRange);
        }
        else if (value is not null && value.Any(char.IsControl))
        {
            problems.Add(field, "Control characters are not allowed");
        }
    }
}
