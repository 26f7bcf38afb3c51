using System.Net;

namespace Montu.Server.Tests.Features.Users;

public sealed class MassAssignmentTests(TestApp app) : IClassFixture<TestApp>
{
    [Theory]
    [InlineData("isAdmin", true)]
    [InlineData("disabled", false)]
    [InlineData("email", "me@elsewhere.test")]
    public async Task Members_cannot_change_their_own_guarded_fields(string field, object value)
    {
        var user = await app.CreateUser(await app.Client.CreateProject(), "admin");
        var before = await (await app.Client.GetAsync($"/api/v1/users/{user.Id}")).Expect(HttpStatusCode.OK);

        var error = await (await user.Client.PatchJson($"/api/v1/users/{user.Id}", new Dictionary<string, object> { [field] = value, ["displayName"] = "Sneaky" }))
            .ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");

        Assert.Contains(field, error.Str("message"));
        var after = await (await app.Client.GetAsync($"/api/v1/users/{user.Id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(before.GetRawText(), after.GetRawText());
    }

    [Fact]
    public async Task A_server_admin_may_promote_another_user_and_it_applies_at_once()
    {
        var user = await app.CreateUser();
        await (await user.Client.GetAsync("/api/v1/users")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");

        await (await app.Client.PatchJson($"/api/v1/users/{user.Id}", new { isAdmin = true })).Expect(HttpStatusCode.OK);

        await (await user.Client.GetAsync("/api/v1/users")).Expect(HttpStatusCode.OK);
    }
}
