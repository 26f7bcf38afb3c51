using Montu.Server.Features.Users;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Auth;

/// <summary>
/// Creates the Montu account of someone an external issuer vouches for, when that issuer has
/// <c>AutoProvision</c> on. The account has no password and no project: an administrator still
/// decides what they may see.
/// </summary>
public sealed class ExternalUsers(UserAccounts accounts, UserQueries users, ILogger<ExternalUsers> logger)
{
    /// <summary>The id of the new (or, after a concurrent first sign-in, existing) user.</summary>
    public async Task<string?> ProvisionAsync(string email, string? name, string issuer, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        UserRules.CheckEmail(email, problems);
        if (problems.Any)
        {
            return null;
        }

        var displayName = string.IsNullOrWhiteSpace(name) ? email.Split('@')[0] : name.Trim();
        displayName = displayName[..Math.Min(displayName.Length, 200)];
        var created = await accounts.CreateAsync(new NewUser(email, displayName, null, false, UserProfile.Empty), "user_provisioned", null, ct);
        if (created is not null)
        {
            logger.LogInformation("Provisioned user {UserId} for {Email} signed in through {Issuer}", created.Id, email, issuer);
            return created.Id;
        }

        return (await users.FindByEmailAsync(email, ct))?.Id;
    }
}
