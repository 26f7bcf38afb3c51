using Montu.Server.Data;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Features.Auth;

/// <summary>
/// With <c>--demo</c> or <c>MONTU_DEMO=1</c>: one user per role family, all with
/// <see cref="Password"/>, members of the demo project <c>SWA</c> when it exists. The README
/// promises these credentials, so a demo account that already exists with another password (the
/// admin created by an earlier start without <c>--demo</c>, say) gets the demo password back, with
/// a warning in the log, and joins SWA if it is not a member.
/// </summary>
public static class DemoUsers
{
    /// <summary>Public on purpose: demo data is for trying Montu out, never for production.</summary>
    public const string Password = "montu-demo";
    public const string DemoProjectId = "SWA";

    public static readonly IReadOnlyList<(string Email, string DisplayName, string Role, bool IsAdmin)> People =
    [
        ("admin@montu.local", "Demo Admin", ProjectRoles.Admin, true),
        ("producer@montu.local", "Demo Producer", ProjectRoles.Producer, false),
        ("supervisor@montu.local", "Demo Supervisor", ProjectRoles.Supervisor, false),
        ("artist@montu.local", "Demo Artist", ProjectRoles.Artist, false),
        ("client@montu.local", "Demo Client", ProjectRoles.Client, false),
    ];

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var accounts = services.GetRequiredService<UserAccounts>();
        var users = services.GetRequiredService<UserQueries>();
        var passwords = services.GetRequiredService<Passwords>();
        var changes = services.GetRequiredService<UserChanges>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoUsers));
        var demoProject = await services.GetRequiredService<ProjectQueries>().FindAsync(DemoProjectId, ct) is not null;
        var created = 0;
        foreach (var (email, name, role, isAdmin) in People)
        {
            string userId;
            if (await accounts.CreateAsync(new NewUser(email, name, Password, isAdmin, UserProfile.Empty), "user_created", null, ct) is { } user)
            {
                created++;
                userId = user.Id;
            }
            else
            {
                var existing = (await users.FindByEmailAsync(email, ct))!;
                userId = existing.Id;
                if (passwords.Verify(existing.PasswordHash, Password) == PasswordCheck.Wrong)
                {
                    await changes.SetPasswordAsync(userId, Password, null, ct);
                    logger.LogWarning("Demo mode: {Email} already existed with another password; it now has the demo password (see the README)", email);
                }
            }

            if (demoProject)
            {
                await JoinDemoProjectAsync(services, userId, role, ct);
            }
        }

        if (created > 0)
        {
            logger.LogInformation("Seeded {Count} demo users{Membership}", created, demoProject ? $", members of {DemoProjectId}" : "");
        }
    }

    /// <summary>Makes the user a member of the demo project in their role, unless they already are one (then false).</summary>
    private static Task<bool> JoinDemoProjectAsync(IServiceProvider services, string userId, string role, CancellationToken ct)
    {
        var members = services.GetRequiredService<MemberQueries>();
        var events = services.GetRequiredService<EventLog>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        return services.GetRequiredService<Db>().InTransactionAsync(async tx =>
        {
            if (await members.FindAsync(tx, DemoProjectId, userId, ct) is not null)
            {
                return false;
            }

            await members.InsertAsync(tx, DemoProjectId, userId, role, now, ct);
            await events.AppendAsync(tx, new NewEvent("project_members_added", DemoProjectId, "project", DemoProjectId,
                new { members = new[] { new { userId, role } } }, null), ct);
            return true;
        }, ct);
    }
}
