using System.Net;

namespace Montu.Server.Tests.Features.Users;

public sealed class PasswordTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Changing_ones_own_password_needs_the_current_one_and_ends_every_session()
    {
        var user = await app.CreateUser();
        var otherDevice = await app.Anonymous().Login(user.Email, user.Password);
        var newPassword = Builders.NewPassword();
        var url = $"/api/v1/users/{user.Id}/password";

        var missing = await (await user.Client.PostJson(url, new { newPassword })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await (await user.Client.PostJson(url, new { currentPassword = "wrong-password", newPassword })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await user.Client.PostJson(url, new { currentPassword = user.Password, newPassword })).Expect(HttpStatusCode.NoContent);

        Assert.Equal(["currentPassword"], missing.Fields());
        await (await user.Client.GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.WithToken(otherDevice.AccessToken).GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.Anonymous().Refresh(otherDevice.RefreshToken)).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.Anonymous().PostJson("/api/v1/auth/login", new { email = user.Email, password = user.Password })).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var fresh = await app.Anonymous().Login(user.Email, newPassword);
        await (await app.WithToken(fresh.AccessToken).GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_sets_someone_elses_password_without_the_current_one()
    {
        var user = await app.CreateUser();
        var newPassword = Builders.NewPassword();

        await (await app.Client.PostJson($"/api/v1/users/{user.Id}/password", new { newPassword })).Expect(HttpStatusCode.NoContent);

        await app.Anonymous().Login(user.Email, newPassword);
    }

    [Fact]
    public async Task Weak_passwords_are_refused()
    {
        var user = await app.CreateUser();

        var error = await (await user.Client.PostJson($"/api/v1/users/{user.Id}/password", new { currentPassword = user.Password, newPassword = "abc" }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["newPassword"], error.Fields());
    }
}
