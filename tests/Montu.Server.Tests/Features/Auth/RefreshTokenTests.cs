using System.Net;

namespace Montu.Server.Tests.Features.Auth;

public sealed class RefreshTokenTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Refresh_rotates_both_tokens_and_keeps_the_project()
    {
        var projectId = await app.Client.CreateProject();
        var user = await app.CreateUser(projectId, "producer");

        var response = await app.Anonymous().Refresh(user.Tokens.RefreshToken);
        var next = Tokens.From(await response.Expect(HttpStatusCode.OK));

        Assert.NotEqual(user.Tokens.RefreshToken, next.RefreshToken);
        Assert.NotEqual(user.Tokens.AccessToken, next.AccessToken);
        Assert.Equal(projectId, next.ProjectId);
        Assert.Equal(["read", "write"], next.Permissions);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        await (await app.WithToken(next.AccessToken).GetAsync($"/api/v1/projects/{projectId}")).Expect(HttpStatusCode.OK);
        Tokens.From(await (await app.Anonymous().Refresh(next.RefreshToken)).Expect(HttpStatusCode.OK));
    }

    [Fact]
    public async Task Replaying_a_rotated_token_revokes_the_whole_family()
    {
        var user = await app.CreateUser();
        var anonymous = app.Anonymous();
        var second = Tokens.From(await (await anonymous.Refresh(user.Tokens.RefreshToken)).Expect(HttpStatusCode.OK));
        var third = Tokens.From(await (await anonymous.Refresh(second.RefreshToken)).Expect(HttpStatusCode.OK));

        await (await anonymous.Refresh(user.Tokens.RefreshToken)).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        // The newest refresh token, and the access tokens of that session, die with the family.
        await (await anonymous.Refresh(third.RefreshToken)).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.WithToken(third.AccessToken).GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Contains(app.Logs.Lines, l => l.Text.Contains("presented again", StringComparison.Ordinal) && l.Text.Contains(user.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replay_does_not_touch_the_users_other_sessions()
    {
        var user = await app.CreateUser();
        var other = await app.Anonymous().Login(user.Email, user.Password);
        await (await app.Anonymous().Refresh(user.Tokens.RefreshToken)).Expect(HttpStatusCode.OK);

        await (await app.Anonymous().Refresh(user.Tokens.RefreshToken)).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        await (await app.Anonymous().Refresh(other.RefreshToken)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Two_concurrent_refreshes_with_one_token_give_exactly_one_success()
    {
        var user = await app.CreateUser();

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => app.Anonymous().Refresh(user.Tokens.RefreshToken)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        await responses.Single(r => r.StatusCode != HttpStatusCode.OK).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Unknown_and_missing_refresh_tokens_are_refused()
    {
        await (await app.Anonymous().Refresh("mrt_" + new string('A', 43))).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var error = await (await app.Anonymous().PostJson("/api/v1/auth/refresh", new { })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["refreshToken"], error.Fields());
    }

    [Fact]
    public async Task Snake_case_refresh_token_is_accepted()
    {
        var user = await app.CreateUser();

        await (await app.Anonymous().PostJson("/api/v1/auth/refresh", new { refresh_token = user.Tokens.RefreshToken })).Expect(HttpStatusCode.OK);
    }
}
