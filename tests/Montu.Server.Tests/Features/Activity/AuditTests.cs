using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Tests.Features.Auth;

namespace Montu.Server.Tests.Features.Activity;

/// <summary>GET /audit: each security event with its address and user agent, for server admins only, and never a secret.</summary>
public sealed class AuditTests(AuditTests.AuditApp app) : IClassFixture<AuditTests.AuditApp>
{
    private const string Agent = "MontuTests/1.0 (audit)";

    /// <summary>Three failed sign-ins per address per ten minutes, client addresses from a test header, and a clock the test moves.</summary>
    public sealed class AuditApp : TestApp
    {
        public AuditApp()
        {
            Settings["RateLimits:Login:PermitLimit"] = "3";
            Settings["RateLimits:Login:WindowSeconds"] = "600";
        }

        public ManualClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter, LoginLimitTests.ClientAddress>();
        }
    }

    private readonly List<string> _bodies = [];

    /// <summary>Sends from <paramref name="address"/> with the test's user agent, keeping the answer's body.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, object? body, string address = "10.20.0.1")
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Http.JsonContent(body) };
        request.Headers.Add(LoginLimitTests.ClientAddress.Header, address);
        request.Headers.UserAgent.ParseAdd(Agent);
        var response = await client.SendAsync(request);
        _bodies.Add(await response.Content.ReadAsStringAsync());
        return response;
    }

    private Task<HttpResponseMessage> LoginAsync(string email, string password, string address = "10.20.0.1") =>
        SendAsync(app.Anonymous(), HttpMethod.Post, "/api/v1/auth/login", new { email, password }, address);

    private async Task<List<JsonElement>> AuditAsync(string query)
    {
        var response = await app.Client.GetAsync($"/api/v1/audit?page_size=100&{query}");
        _bodies.Add(await response.Content.ReadAsStringAsync());
        return [.. (await response.Expect(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task Only_server_admins_read_the_audit()
    {
        var project = await app.Client.CreateProject();
        var projectAdmin = await app.CreateUser(project, "admin");

        await (await projectAdmin.Client.GetAsync("/api/v1/audit")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await app.Anonymous().GetAsync("/api/v1/audit")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Sign_ins_refreshes_reuse_and_sign_outs_are_recorded_with_address_and_user_agent_and_no_secret_anywhere()
    {
        var user = await app.CreateUser();
        var wrong = Builders.NewPassword();

        var session = Tokens.From(await (await LoginAsync(user.Email, user.Password, "10.20.0.7")).Expect(HttpStatusCode.OK));
        await (await LoginAsync(user.Email, wrong, "10.20.0.8")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await LoginAsync(wrong, user.Password, "10.20.0.9")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var anonymous = app.Anonymous();
        var rotated = Tokens.From(await (await SendAsync(anonymous, HttpMethod.Post, "/api/v1/auth/refresh", new { refreshToken = session.RefreshToken })).Expect(HttpStatusCode.OK));
        await (await SendAsync(anonymous, HttpMethod.Post, "/api/v1/auth/refresh", new { refreshToken = session.RefreshToken }, "10.20.0.66"))
            .ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var again = Tokens.From(await (await LoginAsync(user.Email, user.Password)).Expect(HttpStatusCode.OK));
        await (await SendAsync(app.WithToken(again.AccessToken), HttpMethod.Post, "/api/v1/auth/logout", null, "10.20.0.10")).Expect(HttpStatusCode.NoContent);

        var audit = await AuditAsync($"user={user.Id}");
        JsonElement Only(string type) => Assert.Single(audit, e => e.Str("type") == type && e.GetProperty("data").GetProperty("ip").GetString() is not null
            && !(type == "user_signed_in" && e.GetProperty("data").Str("ip") != "10.20.0.7"));

        var signedIn = Only("user_signed_in").GetProperty("data");
        Assert.Equal((user.Email, "10.20.0.7", Agent, session.UserId), (signedIn.Str("email"), signedIn.Str("ip"), signedIn.Str("userAgent"), signedIn.Str("userId")));
        var failed = Only("sign_in_failed");
        Assert.Equal(("user", user.Id), (failed.Str("entityType"), failed.Str("entityId")));
        Assert.Equal((user.Email, "wrong_password", "10.20.0.8", Agent), (failed.GetProperty("data").Str("email"), failed.GetProperty("data").Str("reason"),
            failed.GetProperty("data").Str("ip"), failed.GetProperty("data").Str("userAgent")));
        Assert.Equal($"Failed sign-in for {user.Email} from 10.20.0.8 (wrong password)", failed.Str("summary"));
        var reused = Only("session_revoked");
        Assert.Equal(("refresh_token_reused", "10.20.0.66", 2), (reused.GetProperty("data").Str("reason"), reused.GetProperty("data").Str("ip"),
            reused.GetProperty("data").GetProperty("revokedTokens").GetInt32()));
        Assert.StartsWith("sess_", reused.GetProperty("data").Str("sessionId"));
        Assert.Equal(JsonValueKind.Null, reused.GetProperty("user").ValueKind);
        Assert.Contains("a used refresh token was presented again from 10.20.0.66", reused.Str("summary"));
        Assert.Equal("10.20.0.10", Only("user_signed_out").GetProperty("data").Str("ip"));
        Assert.Equal("10.20.0.1", Only("session_refreshed").GetProperty("data").Str("ip"));
        var unknown = Assert.Single(await AuditAsync("type=sign_in_failed"), e => e.GetProperty("data").Str("ip") == "10.20.0.9");
        Assert.Equal(("address", "10.20.0.9", "unknown_account"), (unknown.Str("entityType"), unknown.Str("entityId"), unknown.GetProperty("data").Str("reason")));
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("data").GetProperty("email").ValueKind);

        var activity = await app.Client.GetAsync("/api/v1/activity?page_size=100");
        _bodies.Add(await activity.Content.ReadAsStringAsync());
        string[] secrets = [user.Password, wrong, session.RefreshToken, rotated.RefreshToken, again.RefreshToken, session.AccessToken, rotated.AccessToken, again.AccessToken];
        var logs = app.Logs.Lines.Select(l => l.Text).ToList();
        var auditBodies = _bodies.Where(b => b.Contains("\"seq\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(auditBodies);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(auditBodies, b => b.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(logs, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Accounts_roles_memberships_and_share_links_are_in_the_audit()
    {
        var project = await app.Client.CreateProject();
        var user = await app.CreateUser(project, "artist");
        await (await app.Client.PatchJson($"/api/v1/projects/{project}/users/{user.Id}", new { role = "supervisor" })).Expect(HttpStatusCode.OK);
        await (await app.Client.PatchJson($"/api/v1/users/{user.Id}", new { isAdmin = true })).Expect(HttpStatusCode.OK);
        var playlist = (await app.Client.CreatePlaylist(project)).Str("id");
        var share = await (await app.Client.PostJson($"/api/v1/playlists/{playlist}/share", new { })).Expect(HttpStatusCode.Created);
        await (await app.Client.DeleteAsync($"/api/v1/playlists/{playlist}/share/{share.Str("id")}")).Expect(HttpStatusCode.NoContent);
        await (await app.Client.DeleteAsync($"/api/v1/users/{user.Id}")).Expect(HttpStatusCode.OK);

        var aboutUser = await AuditAsync($"user={user.Id}");
        var ofProject = (await AuditAsync("")).Where(e => e.GetProperty("projectId").GetString() == project).ToList();

        Assert.Equal(["user_disabled", "user_updated", "user_signed_in", "user_created"],
            aboutUser.Select(e => e.Str("type")).Where(t => t != "session_refreshed"));
        var promoted = aboutUser.Single(e => e.Str("type") == "user_updated");
        Assert.Equal(JsonSerializer.Serialize(new { isAdmin = new { to = true } }), promoted.GetProperty("changes").GetRawText());
        Assert.EndsWith($" created user {user.Email}", aboutUser[^1].Str("summary"));
        Assert.Equal(["playlist_share_revoked", "playlist_shared", "project_member_updated", "project_members_added", "project_created"],
            ofProject.Select(e => e.Str("type")));
        var role = ofProject[2].GetProperty("changes").GetProperty("role");
        Assert.Equal(("artist", "supervisor"), (role.Str("from"), role.Str("to")));
        Assert.DoesNotContain(_bodies, b => b.Contains(share.Str("token"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_flood_of_refusals_is_recorded_once_per_limit_partition_and_minute()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await (await LoginAsync("flood@studio.test", "wrong-password", "10.30.0.1")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await (await LoginAsync("flood@studio.test", "wrong-password", "10.30.0.1")).ExpectError(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        }

        var first = (await AuditAsync("type=rate_limited")).Where(e => e.Str("entityId") == "login-ip:10.30.0.1").ToList();
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await (await LoginAsync("flood@studio.test", "wrong-password", "10.30.0.1")).ExpectError(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        var later = (await AuditAsync("type=rate_limited")).Where(e => e.Str("entityId") == "login-ip:10.30.0.1").ToList();

        var hit = Assert.Single(first).GetProperty("data");
        Assert.Equal(("login-ip", "10.30.0.1", Agent, "POST", "/api/v1/auth/login"),
            (hit.Str("policy"), hit.Str("ip"), hit.Str("userAgent"), hit.Str("method"), hit.Str("path")));
        Assert.InRange(hit.GetProperty("retryAfterSeconds").GetInt32(), 1, 600);
        Assert.Equal(2, later.Count);
        Assert.DoesNotContain(_bodies, b => b.Contains("flood@studio.test", StringComparison.Ordinal));
    }
}

/// <summary>The per-user API limit's refusals reach the audit under the user who was refused.</summary>
public sealed class AuditApiLimitTests(AuditApiLimitTests.LimitApp app) : IClassFixture<AuditApiLimitTests.LimitApp>
{
    /// <summary>Six API calls per user per minute; the audit's minutes on a clock that stands still, so the calls never straddle two.</summary>
    public sealed class LimitApp : TestApp
    {
        public LimitApp()
        {
            Settings["RateLimits:Api:PermitLimit"] = "6";
            Settings["RateLimits:Api:WindowSeconds"] = "60";
        }

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(new ManualClock());
    }

    [Fact]
    public async Task A_user_refused_by_the_api_limit_is_recorded_once_that_minute()
    {
        var user = await app.CreateUser();
        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 10; call++)
        {
            statuses.Add((await user.Client.GetAsync("/api/v1/auth/me")).StatusCode);
        }

        var audit = await (await app.Client.GetAsync($"/api/v1/audit?type=rate_limited&user={user.Id}")).Expect(HttpStatusCode.OK);

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var hit = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal(($"api:{user.Id}", user.Id), (hit.Str("entityId"), hit.GetProperty("user").Str("id")));
        Assert.Equal(("api", "GET", "/api/v1/auth/me"), (hit.GetProperty("data").Str("policy"), hit.GetProperty("data").Str("method"), hit.GetProperty("data").Str("path")));
        Assert.Equal($"Rate limit api refused GET /api/v1/auth/me from {hit.GetProperty("data").Str("ip")}", hit.Str("summary"));
    }
}
