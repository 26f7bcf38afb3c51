using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Montu.Server.Tests.Features.Auth;

public sealed class LoginLimitTests(LoginLimitTests.LimitApp app) : IClassFixture<LoginLimitTests.LimitApp>
{
    /// <summary>Three failed sign-ins per two seconds per address; an account's attempts wait after five failures.</summary>
    public sealed class LimitApp : TestApp
    {
        public LimitApp()
        {
            Settings["RateLimits:Login:PermitLimit"] = "3";
            Settings["RateLimits:Login:WindowSeconds"] = "2";
        }

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IStartupFilter, ClientAddress>();
    }

    [Fact]
    public async Task Too_many_sign_ins_from_one_address_get_429_until_the_window_passes()
    {
        var limited = await AttemptUntilLimitedAsync(_ => "10.0.0.1", "someone@studio.test");

        var error = await limited.ExpectError(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.Contains("retry", error.Str("message"));
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 2);
        Assert.Equal("\"login-ip\";q=3;w=2", limited.Headers.GetValues("RateLimit-Policy").Single());
        Assert.StartsWith("\"login-ip\";r=0;t=", limited.Headers.GetValues("RateLimit").Single());

        await Task.Delay(TimeSpan.FromSeconds(retryAfter + 0.5));
        var again = await LoginFromAsync("10.0.0.1", TestApp.AdminEmail, TestApp.AdminPassword);
        await again.Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Too_many_sign_ins_for_one_email_get_429_from_any_address()
    {
        var limited = await AttemptUntilLimitedAsync(attempt => $"10.1.0.{attempt}", "target@studio.test");

        await limited.ExpectError(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.StartsWith("\"login-email\"", limited.Headers.GetValues("RateLimit-Policy").Single());
    }

    [Fact]
    public async Task Successful_sign_ins_never_count_so_colleagues_behind_one_address_are_not_slowed()
    {
        var user = await app.CreateUser();
        for (var i = 0; i < 10; i++)
        {
            await (await LoginFromAsync("10.2.0.1", user.Email, user.Password)).Expect(HttpStatusCode.OK);
        }

        await (await LoginFromAsync("10.2.0.1", TestApp.AdminEmail, TestApp.AdminPassword)).Expect(HttpStatusCode.OK);
    }

    private async Task<HttpResponseMessage> AttemptUntilLimitedAsync(Func<int, string> address, string email)
    {
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var response = await LoginFromAsync(address(attempt), email, "wrong-password");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(attempt > 3, "limited before the third attempt");
                return response;
            }

            await response.ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }

        throw new InvalidOperationException("never limited");
    }

    private Task<HttpResponseMessage> LoginFromAsync(string address, string email, string password) =>
        ClientAddress.LoginAsync(app, address, email, password);

    /// <summary>TestServer has no client address; this sets one per request from a test-only header.</summary>
    internal sealed class ClientAddress : IStartupFilter
    {
        public const string Header = "X-Test-Client-Address";

        /// <summary>A sign-in whose connection comes from <paramref name="address"/>.</summary>
        public static Task<HttpResponseMessage> LoginAsync(TestApp app, string address, string email, string password)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
            {
                Content = Http.JsonContent(new { email, password }),
                Headers = { { Header, address } },
            };
            return app.Anonymous().SendAsync(request);
        }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[Header], out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class ApiLimitTests(ApiLimitTests.LimitApp app) : IClassFixture<ApiLimitTests.LimitApp>
{
    /// <summary>Five API calls per two seconds per user.</summary>
    public sealed class LimitApp : TestApp
    {
        public LimitApp()
        {
            Settings["RateLimits:Api:PermitLimit"] = "5";
            Settings["RateLimits:Api:WindowSeconds"] = "2";
        }
    }

    [Fact]
    public async Task Each_user_has_their_own_allowance()
    {
        var (first, second) = (await app.CreateUser(), await app.CreateUser());
        await Task.Delay(TimeSpan.FromSeconds(2.2));

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last;
        do
        {
            last = await first.Client.GetAsync("/api/v1/auth/me");
            statuses.Add(last.StatusCode);
        }
        while (last.StatusCode == HttpStatusCode.OK && statuses.Count < 20);

        await last.ExpectError(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.InRange(statuses.Count, 2, 6);
        Assert.True(last.Headers.Contains("Retry-After"));
        Assert.StartsWith("\"api\";q=5;w=2", last.Headers.GetValues("RateLimit-Policy").Single());
        await (await second.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_share_links_guest_has_its_own_allowance()
    {
        var playlist = (await app.Client.CreatePlaylist(await app.Client.CreateProject())).Str("id");
        var token = (await (await app.Client.PostJson($"/api/v1/playlists/{playlist}/share", new { })).Expect(HttpStatusCode.Created)).Str("token");
        await Task.Delay(TimeSpan.FromSeconds(2.2));

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last;
        do
        {
            last = await app.Anonymous().GetAsync($"/api/v1/playlists/{playlist}?share={token}");
            statuses.Add(last.StatusCode);
        }
        while (last.StatusCode == HttpStatusCode.OK && statuses.Count < 20);

        await last.ExpectError(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.InRange(statuses.Count, 2, 6);
        await (await app.Client.GetAsync($"/api/v1/playlists/{playlist}")).Expect(HttpStatusCode.OK);
    }
}
