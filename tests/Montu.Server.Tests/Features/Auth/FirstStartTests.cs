using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;
using Montu.Server.Features.Auth;

namespace Montu.Server.Tests.Features.Auth;

public sealed partial class FirstStartTests(FirstStartTests.NoPasswordApp app) : IClassFixture<FirstStartTests.NoPasswordApp>
{
    /// <summary>A first start without <c>MONTU_ADMIN_EMAIL</c> or <c>MONTU_ADMIN_PASSWORD</c>.</summary>
    public sealed class NoPasswordApp : TestApp
    {
        public NoPasswordApp()
        {
            Settings["MONTU_ADMIN_EMAIL"] = "";
            Settings["MONTU_ADMIN_PASSWORD"] = "";
        }
    }

    [Fact]
    public async Task A_generated_admin_password_is_logged_once_as_a_warning_and_works()
    {
        var lines = GeneratedPasswordLines();
        var line = Assert.Single(lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        var password = GeneratedPassword().Match(line.Text).Groups[1].Value;

        var tokens = await app.Anonymous().Login(AdminBootstrap.DefaultEmail, password);
        await using (var restarted = app.WithWebHostBuilder(_ => { }))
        {
            await (await restarted.CreateClient().GetAsync("/.well-known/jwks.json")).Expect(HttpStatusCode.OK);
        }

        Assert.True(password.Length >= 20);
        var me = await (await app.WithToken(tokens.AccessToken).GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
        Assert.True(me.GetProperty("isAdmin").GetBoolean());
        Assert.Single(GeneratedPasswordLines());
    }

    private List<(LogLevel Level, string Category, string Text)> GeneratedPasswordLines() =>
        app.Logs.Lines.Where(l => l.Text.Contains("generated password", StringComparison.Ordinal)).ToList();

    [GeneratedRegex("generated password (\\S+) ")]
    private static partial Regex GeneratedPassword();
}

public sealed class DemoUserTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Demo_mode_seeds_one_user_per_role_family_into_SWA_once()
    {
        await app.Client.CreateProject("SWA");

        // Demo mode starts on a database where SWA exists, as the demo project seeder leaves it.
        await using (var demo = app.WithWebHostBuilder(b => b.UseSetting("MONTU_DEMO", "1")))
        {
            var client = demo.CreateClient();
            foreach (var (email, _, role, isAdmin) in DemoUsers.People)
            {
                var tokens = await client.Login(email, DemoUsers.Password, "SWA");
                Assert.Equal(role, tokens.Body.Str("role"));
                Assert.Equal(isAdmin || role == "admin" ? ["read", "write", "admin"] : role == "client" ? ["read"] : ["read", "write"], tokens.Permissions);
            }
        }

        await using (var again = app.WithWebHostBuilder(b => b.UseSetting("MONTU_DEMO", "1")))
        {
            await (await again.CreateClient().GetAsync("/.well-known/jwks.json")).Expect(HttpStatusCode.OK);
        }

        await using var connection = await app.Db.OpenAsync(default);
        Assert.Equal(DemoUsers.People.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE email_key LIKE '%@montu.local'"));
        Assert.Equal(DemoUsers.People.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM project_members WHERE project_id = 'SWA'"));
    }
}
