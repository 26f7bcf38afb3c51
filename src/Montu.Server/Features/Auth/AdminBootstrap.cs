using System.Buffers.Text;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Auth;

/// <summary>
/// First start with no users: creates a server admin from <c>MONTU_ADMIN_EMAIL</c> (default
/// <c>admin@montu.local</c>) and <c>MONTU_ADMIN_PASSWORD</c>. Without a password one is
/// generated and written to the log once, as a warning; it is never shown again. An explicitly
/// configured admin email is also created when only other users exist (the demo accounts,
/// say), so the operator's account is always there; an existing account is never changed.
/// </summary>
public static class AdminBootstrap
{
    public const string DefaultEmail = "admin@montu.local";

    public static async Task EnsureAdminAsync(IServiceProvider services, CancellationToken ct)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var users = services.GetRequiredService<UserQueries>();
        var configuredEmail = configuration["MONTU_ADMIN_EMAIL"];
        if (await users.AnyAsync(ct)
            && (string.IsNullOrEmpty(configuredEmail) || await users.FindByEmailAsync(configuredEmail, ct) is not null))
        {
            return;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminBootstrap));
        var email = configuredEmail is { Length: > 0 } ? configuredEmail : DefaultEmail;
        var password = configuration["MONTU_ADMIN_PASSWORD"];
        var generated = string.IsNullOrEmpty(password);
        if (generated)
        {
            password = Base64Url.EncodeToString(services.GetRequiredService<IdGenerator>().NewSecret(18));
        }

        var problems = new ValidationProblems();
        UserRules.CheckEmail(email, problems, "MONTU_ADMIN_EMAIL");
        UserRules.CheckPassword(password, "MONTU_ADMIN_PASSWORD", problems);
        if (problems.Any)
        {
            throw new InvalidOperationException("Cannot create the first admin: " + string.Join("; ", problems.Errors.Select(e => $"{e.Field}: {e.Message}")));
        }

        var admin = new NewUser(email, "Administrator", password, IsAdmin: true, UserProfile.Empty);
        if (await services.GetRequiredService<UserAccounts>().CreateAsync(admin, "user_created", null, ct) is not { } created)
        {
            return;
        }

        if (generated)
        {
            logger.LogWarning(
                "Created server admin {Email} with generated password {Password} . It is shown only this once: sign in and change it (POST /api/v1/users/{UserId}/password)",
                email, password, created.Id);
        }
        else
        {
            logger.LogInformation("Created server admin {Email}", email);
        }
    }
}
