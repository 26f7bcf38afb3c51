using Montu.Server.Data;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Features.Auth;

/// <summary>
/// With <c>--demo</c> or <c>MONTU_DEMO=1</c>: one user per role family, all with
/// <see cref="Password"/>, members of the demo project <c>SWA</c> when it exists. Seeded once:
/// a user that already exists is left as it is. The credentials are listed in the README.
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
        var demoProject = await services.GetRequiredService<ProjectQueries>().FindAsync(DemoProjectId, ct) is not null;
        var db = services.GetRequiredService<Db>();
        var members = services.GetRequiredService<MemberQueries>();
        var events = services.GetRequiredService<EventLog>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var seeded = 0;
        foreach (var (email, name, role, isAdmin) in People)
        {
            if (await accounts.CreateAsync(new NewUser(email, name, Password, isAdmin, UserProfile.Empty), "user_created", null, ct) is not { } user)
            {
                continue;
            }

            seeded++;
            if (demoProject)
            {
                await db.InTransactionAsync(async tx =>
                {
                    await members.InsertAsync(tx, DemoProjectId, user.Id, role, now, ct);
                    await events.AppendAsync(tx, new NewEvent("project_members_added", DemoProjectId, "project", DemoProjectId,
                        new { members = new[] { new { userId = user.Id, role } } }, null), ct);
                    return true;
                }, ct);
            }
        }

        if (seeded > 0)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoUsers))
                .LogInformation("Seeded {Count} demo users (password in the README){Membership}", seeded, demoProject ? $", members of {DemoProjectId}" : "");
        }
    }
}
