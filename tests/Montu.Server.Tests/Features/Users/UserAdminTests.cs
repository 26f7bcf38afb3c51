using System.Net;

namespace Montu.Server.Tests.Features.Users;

public sealed class UserAdminTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task An_admin_creates_lists_and_reads_users_without_any_password_material()
    {
        var email = Builders.NewEmail();
        var response = await app.Client.PostJson("/api/v1/users", new
        {
            email,
            displayName = "Jane Doe",
            password = Builders.NewPassword(),
            profile = new { department = "Lighting", avatarUrl = "https://cdn.studio.test/jane.png" },
        });
        var created = await response.Expect(HttpStatusCode.Created);
        var id = created.Str("id");

        var listed = await (await app.Client.GetAsync($"/api/v1/users?search={Uri.EscapeDataString(email)}")).Expect(HttpStatusCode.OK);
        var fetched = await (await app.Client.GetAsync($"/api/v1/users/{id}")).Expect(HttpStatusCode.OK);

        Assert.Matches("^user_[a-z2-7]{26}$", id);
        Assert.Equal($"/api/v1/users/{id}", response.Headers.Location?.ToString());
        Assert.Equal("Jane Doe", created.Str("displayName"));
        Assert.False(created.GetProperty("isAdmin").GetBoolean());
        Assert.False(created.GetProperty("disabled").GetBoolean());
        Assert.Equal("Lighting", created.GetProperty("profile").Str("department"));
        Assert.Equal(JsonValueKindNull, created.GetProperty("lastLogin").ValueKind);
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).Str("id"));
        Assert.Equal(email, fetched.Str("email"));
        foreach (var body in new[] { created, listed, fetched })
        {
            Assert.DoesNotContain("password", body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Emails_are_unique_whatever_their_case()
    {
        var email = Builders.NewEmail();
        await (await app.Client.PostJson("/api/v1/users", new { email, displayName = "First" })).Expect(HttpStatusCode.Created);

        var error = await (await app.Client.PostJson("/api/v1/users", new { email = email.ToUpperInvariant(), displayName = "Second" }))
            .ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Equal(["email"], error.Fields());
    }

    [Fact]
    public async Task Invalid_users_list_every_problem()
    {
        var error = await (await app.Client.PostJson("/api/v1/users", new
        {
            email = "not an email",
            password = "short",
            profile = new { avatarUrl = "javascript:alert(1)" },
        })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["email", "displayName", "password", "profile.avatarUrl"], error.Fields());
        Assert.DoesNotContain("short", error.GetRawText(), StringComparison.Ordinal);
        await (await app.Client.PostJson("/api/v1/users", new { email = Builders.NewEmail(), displayName = "X", role = "admin" }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Users_who_are_not_server_admins_cannot_list_or_create_users()
    {
        var user = await app.CreateUser(await app.Client.CreateProject(), "admin");

        await (await user.Client.GetAsync("/api/v1/users")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await user.Client.PostJson("/api/v1/users", new { email = Builders.NewEmail(), displayName = "X" })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Users_read_and_update_their_own_profile_but_cannot_see_others()
    {
        var user = await app.CreateUser();
        var other = await app.CreateUser();

        var updated = await (await user.Client.PatchJson($"/api/v1/users/{user.Id}", new { displayName = "New Name", profile = new { role = "Compositor" } }))
            .Expect(HttpStatusCode.OK);
        var cleared = await (await user.Client.PatchJson($"/api/v1/users/{user.Id}", new { profile = new { role = "" } })).Expect(HttpStatusCode.OK);

        Assert.Equal("New Name", updated.Str("displayName"));
        Assert.Equal("Compositor", updated.GetProperty("profile").Str("role"));
        Assert.Equal(JsonValueKindNull, cleared.GetProperty("profile").GetProperty("role").ValueKind);
        await (await user.Client.GetAsync($"/api/v1/users/{other.Id}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await user.Client.PatchJson($"/api/v1/users/{other.Id}", new { displayName = "Hijack" })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Delete_disables_the_user_and_never_removes_them()
    {
        var user = await app.CreateUser();

        var disabled = await (await app.Client.DeleteAsync($"/api/v1/users/{user.Id}")).Expect(HttpStatusCode.OK);
        var fetched = await (await app.Client.GetAsync($"/api/v1/users/{user.Id}")).Expect(HttpStatusCode.OK);
        var hidden = await (await app.Client.GetAsync($"/api/v1/users?search={Uri.EscapeDataString(user.Email)}")).Expect(HttpStatusCode.OK);
        var shown = await (await app.Client.GetAsync($"/api/v1/users?search={Uri.EscapeDataString(user.Email)}&include_disabled=true")).Expect(HttpStatusCode.OK);

        Assert.True(disabled.GetProperty("disabled").GetBoolean());
        Assert.True(fetched.GetProperty("disabled").GetBoolean());
        Assert.Equal(0, hidden.GetProperty("total").GetInt64());
        Assert.Equal(1, shown.GetProperty("total").GetInt64());
        await (await app.Anonymous().PostJson("/api/v1/auth/login", new { email = user.Email, password = user.Password })).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        await (await app.Client.PatchJson($"/api/v1/users/{user.Id}", new { disabled = false })).Expect(HttpStatusCode.OK);
        await app.Anonymous().Login(user.Email, user.Password);
    }

    [Fact]
    public async Task Admins_cannot_disable_or_demote_themselves()
    {
        var me = await (await app.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);

        await (await app.Client.DeleteAsync($"/api/v1/users/{me.Str("userId")}")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await app.Client.PatchJson($"/api/v1/users/{me.Str("userId")}", new { isAdmin = false })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Unknown_users_are_404()
    {
        await (await app.Client.GetAsync("/api/v1/users/user_nobody")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await app.Client.PatchJson("/api/v1/users/user_nobody", new { displayName = "X" })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
