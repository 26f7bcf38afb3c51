using System.Buffers.Text;
using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Auth;

public sealed class LoginTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Login_returns_the_contract_shape_with_permissions_of_the_chosen_project()
    {
        var projectId = await app.Client.CreateProject();
        var user = await app.CreateUser(projectId, "supervisor");

        var response = await app.Anonymous().PostJson("/api/v1/auth/login", new { email = user.Email, password = user.Password, projectId });
        var body = await response.Expect(HttpStatusCode.OK);

        Assert.Equal("bearer", body.Str("tokenType"));
        Assert.Equal(3600, body.GetProperty("expiresIn").GetInt32());
        Assert.Equal(user.Id, body.Str("userId"));
        Assert.StartsWith("user_", body.Str("userId"));
        Assert.Equal(projectId, body.Str("projectId"));
        Assert.Equal(["read", "write"], body.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("supervisor", body.Str("role"));
        Assert.StartsWith("mrt_", body.Str("refreshToken"));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_access_token_is_rs256_with_kid_and_the_expected_claims()
    {
        var user = await app.CreateUser();

        var parts = user.Tokens.AccessToken.Split('.');
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        var jwks = await (await app.Anonymous().GetAsync("/.well-known/jwks.json")).Expect(HttpStatusCode.OK);

        Assert.Equal("RS256", header.Str("alg"));
        Assert.Contains(header.Str("kid"), jwks.GetProperty("keys").EnumerateArray().Select(k => k.Str("kid")));
        Assert.Equal("montu", claims.Str("iss"));
        Assert.Equal("montu-api", claims.Str("aud"));
        Assert.Equal(user.Id, claims.Str("sub"));
        Assert.Equal(3600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.True(claims.GetProperty("nbf").GetInt64() <= claims.GetProperty("iat").GetInt64());
        Assert.False(string.IsNullOrEmpty(claims.Str("jti")));
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.Str("kty"));
        Assert.False(key.TryGetProperty("d", out _));
    }

    [Fact]
    public void The_signing_key_file_is_readable_by_the_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var file = Assert.Single(Directory.GetFiles(Path.Combine(app.DataDir, "keys"), "signing-*.pem"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task Wrong_password_unknown_email_and_disabled_account_get_the_same_answer()
    {
        var user = await app.CreateUser();
        var disabled = await app.CreateUser();
        await (await app.Client.DeleteAsync($"/api/v1/users/{disabled.Id}")).Expect(HttpStatusCode.OK);
        var anonymous = app.Anonymous();

        var wrong = await (await anonymous.PostJson("/api/v1/auth/login", new { email = user.Email, password = "not-the-password" }))
            .ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var unknown = await (await anonymous.PostJson("/api/v1/auth/login", new { email = "nobody@studio.test", password = user.Password }))
            .ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var off = await (await anonymous.PostJson("/api/v1/auth/login", new { email = disabled.Email, password = disabled.Password }))
            .ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        Assert.Equal("Invalid email or password", wrong.Str("message"));
        Assert.Equal(wrong.Str("message"), unknown.Str("message"));
        Assert.Equal(wrong.Str("message"), off.Str("message"));
    }

    [Fact]
    public async Task Email_is_matched_case_insensitively()
    {
        var user = await app.CreateUser();

        var tokens = await app.Anonymous().Login(user.Email.ToUpperInvariant(), user.Password);

        Assert.Equal(user.Id, tokens.UserId);
    }

    [Fact]
    public async Task Missing_fields_are_400_naming_them()
    {
        var error = await (await app.Anonymous().PostJson("/api/v1/auth/login", new { email = "" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["email", "password"], error.Fields());
    }

    [Fact]
    public async Task Choosing_a_project_one_is_not_a_member_of_is_404()
    {
        var other = await app.Client.CreateProject();
        var user = await app.CreateUser(await app.Client.CreateProject(), "artist");

        var error = await (await app.Anonymous().PostJson("/api/v1/auth/login", new { email = user.Email, password = user.Password, projectId = other }))
            .ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Contains(other, error.Str("message"));
    }

    [Fact]
    public async Task A_single_membership_is_chosen_when_no_project_is_given()
    {
        var projectId = await app.Client.CreateProject();
        var user = await app.CreateUser(projectId, "viewer");

        var tokens = await app.Anonymous().Login(user.Email, user.Password);

        Assert.Equal(projectId, tokens.ProjectId);
        Assert.Equal(["read"], tokens.Permissions);
    }

    [Fact]
    public async Task Me_returns_the_v2_user_shape()
    {
        var projectId = await app.Client.CreateProject();
        var user = await app.CreateUser(projectId, "admin");
        await (await user.Client.PatchJson($"/api/v1/users/{user.Id}", new { profile = new { department = "Lighting", role = "Senior Artist" } }))
            .Expect(HttpStatusCode.OK);

        var me = await (await user.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
        var legacy = await (await user.Client.GetAsync("/api/v1/auth/me?api_version=2.0")).Expect(HttpStatusCode.OK);

        Assert.Equal(user.Id, me.Str("userId"));
        Assert.Equal(user.Email, me.Str("email"));
        Assert.Equal(projectId, me.Str("projectId"));
        Assert.Equal(["read", "write", "admin"], me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("Lighting", me.GetProperty("profile").Str("department"));
        Assert.Equal("Senior Artist", me.GetProperty("profile").Str("role"));
        Assert.EndsWith("Z", me.Str("lastLogin"));
        Assert.Equal(user.Id, legacy.Str("user_id"));
        Assert.True(legacy.GetProperty("profile").TryGetProperty("avatar_url", out _));
    }

    [Fact]
    public async Task The_first_admin_comes_from_the_configured_email_and_password()
    {
        var me = await (await app.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);

        Assert.Equal(TestApp.AdminEmail, me.Str("email"));
        Assert.True(me.GetProperty("isAdmin").GetBoolean());
        Assert.Equal(["read", "write", "admin"], me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }
}
