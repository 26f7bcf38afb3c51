using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Montu.Server.Tests.Features.Auth;

public sealed class TokenExpiryTests(TokenExpiryTests.ClockApp app) : IClassFixture<TokenExpiryTests.ClockApp>
{
    /// <summary>A server on a hand-moved clock, with the spec's JWT_EXPIRATION_HOURS set.</summary>
    public sealed class ClockApp : TestApp
    {
        public ClockApp() => Settings["JWT_EXPIRATION_HOURS"] = "2";

        public ManualClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    [Fact]
    public async Task An_access_token_expires_after_its_configured_life_and_refresh_renews_it()
    {
        await app.SignInAdminAgain();
        var user = await app.CreateUser();
        Assert.Equal(7200, user.Tokens.Body.GetProperty("expiresIn").GetInt32());

        app.Clock.Advance(TimeSpan.FromMinutes(119));
        await (await user.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var error = await (await user.Client.GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        Assert.Contains("expired", error.Str("message"));
        var renewed = Tokens.From(await (await app.Anonymous().Refresh(user.Tokens.RefreshToken)).Expect(HttpStatusCode.OK));
        await (await app.WithToken(renewed.AccessToken).GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_small_clock_skew_is_tolerated()
    {
        await app.SignInAdminAgain();
        var user = await app.CreateUser();

        app.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(20));

        await (await user.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refresh_token_expires_after_two_weeks_unused()
    {
        await app.SignInAdminAgain();
        var user = await app.CreateUser();

        app.Clock.Advance(TimeSpan.FromDays(15));

        await (await app.Anonymous().Refresh(user.Tokens.RefreshToken)).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }
}
