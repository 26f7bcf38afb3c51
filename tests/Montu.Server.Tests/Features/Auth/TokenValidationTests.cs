using System.Net;
using System.Security.Cryptography;
using System.Text;
using Montu.Server.Features.Auth;

namespace Montu.Server.Tests.Features.Auth;

public sealed class TokenValidationTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task A_token_signed_with_the_server_key_and_right_claims_is_accepted()
    {
        var user = await app.CreateUser();
        using var key = TestTokens.ServerKey(app);

        var me = await (await app.WithToken(TestTokens.Rs256(key, TestTokens.OwnClaims(user.Id))).GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);

        Assert.Equal(user.Id, me.Str("userId"));
    }

    [Fact]
    public async Task No_token_is_401_with_a_bearer_challenge()
    {
        var response = await app.Anonymous().GetAsync("/api/v1/projects");

        var error = await response.ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization", error.Str("message"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.")]
    [InlineData("")]
    public async Task Malformed_tokens_are_401(string token)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);

        await (await client.GetAsync("/api/v1/projects")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Theory]
    [InlineData("alg none")]
    [InlineData("HS256 keyed with the public key PEM")]
    [InlineData("HS256 keyed with the public key DER")]
    [InlineData("RS512")]
    [InlineData("wrong iss")]
    [InlineData("wrong aud")]
    [InlineData("expired")]
    [InlineData("not yet valid")]
    [InlineData("issued in the future")]
    [InlineData("unknown kid")]
    [InlineData("no kid")]
    [InlineData("signed by another key under the server's kid")]
    [InlineData("payload changed after signing")]
    [InlineData("unknown user")]
    [InlineData("no jti")]
    [InlineData("duplicate claim")]
    public async Task Forged_or_invalid_tokens_are_401(string flaw)
    {
        var user = await app.CreateUser();
        using var key = TestTokens.ServerKey(app);
        var kid = Jwk.Thumbprint(key);
        var claims = TestTokens.OwnClaims(user.Id);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var publicPem = key.ExportSubjectPublicKeyInfoPem();
        string Hmac(byte[] secret) => TestTokens.Encode(Header("HS256", kid), claims, input => HMACSHA256.HashData(secret, input));

        var token = flaw switch
        {
            "alg none" => TestTokens.Encode(Header("none", kid), claims, _ => []),
            "HS256 keyed with the public key PEM" => Hmac(Encoding.ASCII.GetBytes(publicPem)),
            "HS256 keyed with the public key DER" => Hmac(key.ExportSubjectPublicKeyInfo()),
            "RS512" => TestTokens.Encode(Header("RS512", kid), claims, input => key.SignData(input, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1)),
            "wrong iss" => TestTokens.Rs256(key, With(claims, "iss", "https://evil.example")),
            "wrong aud" => TestTokens.Rs256(key, With(claims, "aud", "another-api")),
            "expired" => TestTokens.Rs256(key, With(With(claims, "exp", now - 120), "iat", now - 3720)),
            "not yet valid" => TestTokens.Rs256(key, With(claims, "nbf", now + 600)),
            "issued in the future" => TestTokens.Rs256(key, With(claims, "iat", now + 600)),
            "unknown kid" => TestTokens.Rs256(key, claims, kid: "no-such-key"),
            "no kid" => TestTokens.Encode(new Dictionary<string, object?> { ["alg"] = "RS256" }, claims, input => key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            "signed by another key under the server's kid" => TestTokens.Rs256(RSA.Create(2048), claims, kid),
            "payload changed after signing" => Tamper(TestTokens.Rs256(key, claims), With(claims, "sub", "user_someoneelse")),
            "unknown user" => TestTokens.Rs256(key, With(claims, "sub", "user_doesnotexist")),
            "no jti" => TestTokens.Rs256(key, Without(claims, "jti")),
            "duplicate claim" => DuplicateSub(key, kid, user.Id),
            _ => throw new ArgumentOutOfRangeException(nameof(flaw)),
        };

        var response = await app.WithToken(token).GetAsync("/api/v1/auth/me");

        var error = await response.ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(flaw == "expired" ? "The access token has expired; refresh it or sign in again" : "The access token is not valid", error.Str("message"));
    }

    [Fact]
    public async Task A_disabled_users_token_stops_working_at_once()
    {
        var user = await app.CreateUser();
        await (await user.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);

        await (await app.Client.DeleteAsync($"/api/v1/users/{user.Id}")).Expect(HttpStatusCode.OK);

        await (await user.Client.GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.Anonymous().Refresh(user.Tokens.RefreshToken)).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_logged_out_token_is_refused_while_other_sessions_continue()
    {
        var user = await app.CreateUser();
        var otherSession = await app.Anonymous().Login(user.Email, user.Password);

        await (await user.Client.PostAsync("/api/v1/auth/logout", null)).Expect(HttpStatusCode.NoContent);

        await (await user.Client.GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.Anonymous().Refresh(user.Tokens.RefreshToken)).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.WithToken(otherSession.AccessToken).GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_ignored_outside_websocket_upgrades()
    {
        var user = await app.CreateUser();

        await (await app.Anonymous().GetAsync($"/api/v1/auth/me?token={user.Tokens.AccessToken}")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_bad_token_on_a_public_route_is_ignored()
    {
        var client = app.WithToken("not-a-token");

        var tokens = await client.Login(TestApp.AdminEmail, TestApp.AdminPassword);

        Assert.NotEmpty(tokens.AccessToken);
    }

    private static Dictionary<string, object?> Header(string alg, string kid) => new() { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid };

    private static Dictionary<string, object?> With(IDictionary<string, object?> claims, string name, object? value) => new(claims) { [name] = value };

    private static Dictionary<string, object?> Without(IDictionary<string, object?> claims, string name)
    {
        var copy = new Dictionary<string, object?>(claims);
        copy.Remove(name);
        return copy;
    }

    /// <summary>Swaps the payload of a signed token, keeping header and signature.</summary>
    private static string Tamper(string token, IDictionary<string, object?> claims)
    {
        var parts = token.Split('.');
        var forged = TestTokens.Encode(new Dictionary<string, object?>(), claims, _ => []).Split('.')[1];
        return $"{parts[0]}.{forged}.{parts[2]}";
    }

    /// <summary>Two <c>sub</c> members: parsers disagreeing on which wins is a classic confusion.</summary>
    private static string DuplicateSub(RSA key, string kid, string userId)
    {
        var header = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"alg\":\"RS256\",\"kid\":\"{kid}\"}}"));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{{\"iss\":\"montu\",\"aud\":\"montu-api\",\"sub\":\"user_x\",\"sub\":\"{userId}\",\"iat\":{now},\"nbf\":{now},\"exp\":{now + 3600},\"jti\":\"j1\"}}"));
        var input = header + "." + payload;
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
    }
}
