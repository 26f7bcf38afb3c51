using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Montu.Server.Tests.Features.Auth;

/// <summary>Guessing one account's password gets slower with each failure; the right password starts over.</summary>
public sealed class AccountDelayTests(AccountDelayTests.DelayApp app) : IClassFixture<AccountDelayTests.DelayApp>
{
    /// <summary>Two free failures per account, waits capped at eight seconds, on a clock the test moves.</summary>
    public sealed class DelayApp : TestApp
    {
        public DelayApp()
        {
            Settings["RateLimits:LoginAccount:FreeFailures"] = "2";
            Settings["RateLimits:LoginAccount:MaxDelaySeconds"] = "8";
        }

        public ManualClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter, LoginLimitTests.ClientAddress>();
        }
    }

    [Fact]
    public async Task Each_failure_past_the_free_ones_doubles_the_wait_up_to_the_cap()
    {
        var user = await app.CreateUser();

        var waits = new List<int>();
        for (var failure = 1; failure <= 7; failure++)
        {
            await (await Attempt(user.Email, "wrong-password")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            if (failure <= 2)
            {
                continue;
            }

            // Even the right password waits: the delay does not tell a guesser which attempt was right.
            var blocked = await Attempt(user.Email, user.Password);
            await blocked.ExpectError(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
            var wait = int.Parse(blocked.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
            waits.Add(wait);
            app.Clock.Advance(TimeSpan.FromSeconds(wait));
        }

        Assert.Equal([1, 2, 4, 8, 8], waits);
    }

    [Fact]
    public async Task The_right_password_after_the_wait_signs_in_and_starts_the_count_over()
    {
        var user = await app.CreateUser();
        for (var failure = 1; failure <= 3; failure++)
        {
            await (await Attempt(user.Email, "wrong-password")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }

        var blocked = await (await Attempt(user.Email, user.Password)).ExpectError(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await (await Attempt(user.Email, user.Password)).Expect(HttpStatusCode.OK);
        await (await Attempt(user.Email, "wrong-password")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await Attempt(user.Email, user.Password)).Expect(HttpStatusCode.OK);

        Assert.Contains("retry in 1 second", blocked.Str("message"));
    }

    [Fact]
    public async Task One_accounts_failures_do_not_slow_another_account()
    {
        var (target, colleague) = (await app.CreateUser(), await app.CreateUser());
        for (var failure = 1; failure <= 4; failure++)
        {
            await Attempt(target.Email, "wrong-password");
        }

        await (await Attempt(target.Email, target.Password)).ExpectError(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        await (await Attempt(colleague.Email, colleague.Password)).Expect(HttpStatusCode.OK);
    }

    private Task<HttpResponseMessage> Attempt(string email, string password) =>
        LoginLimitTests.ClientAddress.LoginAsync(app, $"10.3.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}", email, password);
}
