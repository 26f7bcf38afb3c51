using System.Net;

namespace Montu.Server.Tests.Features.Users;

/// <summary>Size limits of users, sign-in and members: refused one past the limit, naming the field; accepted at it.</summary>
public sealed class UserLimitTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Display_names_take_200_characters_and_no_more()
    {
        var user = await app.CreateUser();

        await (await _client.PatchJson($"/api/v1/users/{user.Id}", new { displayName = new string('n', 200) })).Expect(HttpStatusCode.OK);
        var error = await (await _client.PatchJson($"/api/v1/users/{user.Id}", new { displayName = new string('n', 201) }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        AssertOutOfRange(error, "displayName", "200");
    }

    [Fact]
    public async Task Emails_have_at_most_254_characters()
    {
        var local = new string('a', 64);
        var domain = string.Join('.', Enumerable.Repeat(new string('d', 60), 4)) + ".test";
        var email = $"{local}@{domain}"[..255];

        var error = await (await _client.PostJson("/api/v1/users", new { email, displayName = "Long" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        AssertOutOfRange(error, "email", "254");
    }

    [Fact]
    public async Task Sign_in_refuses_an_oversized_password_before_checking_it()
    {
        var error = await (await app.Anonymous().PostJson("/api/v1/auth/login", new { email = TestApp.AdminEmail, password = new string('p', 257) }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        AssertOutOfRange(error, "password", "256");
    }

    [Fact]
    public async Task Refresh_refuses_a_token_longer_than_any_the_server_issues()
    {
        var error = await (await app.Anonymous().PostJson("/api/v1/auth/refresh", new { refreshToken = new string('r', 513) }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        AssertOutOfRange(error, "refreshToken", "512");
    }

    [Fact]
    public async Task Members_to_add_list_at_most_8_permissions()
    {
        var projectId = await _client.CreateProject();
        var user = await app.CreateUser();

        var error = await (await _client.PostJson($"/api/v1/projects/{projectId}/users",
                new { userId = user.Id, permissions = Enumerable.Repeat("read", 9) }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        AssertOutOfRange(error, "permissions", "8");
    }

    [Fact]
    public async Task A_query_value_takes_1024_characters_and_no_more()
    {
        var accepted = await (await _client.GetAsync($"/api/v1/users?search={new string('s', 1024)}")).Expect(HttpStatusCode.OK);
        var error = await (await _client.GetAsync($"/api/v1/users?search={new string('s', 1025)}"))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(0, accepted.GetProperty("total").GetInt32());
        AssertOutOfRange(error, "search", "1024");
    }

    private static void AssertOutOfRange(System.Text.Json.JsonElement error, string field, string limit)
    {
        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal((field, "OUT_OF_RANGE"), (detail.Str("field"), detail.Str("code")));
        Assert.Contains(limit, detail.Str("message"));
    }
}
