using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Features.Auth;

namespace Montu.Server.Tests.Features.Auth;

public sealed class BearerHandlerTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Access_tokens_carry_the_session_and_the_chosen_project()
    {
        var projectId = await app.Client.CreateProject();
        var user = await app.CreateUser(projectId, "artist");

        var parts = user.Tokens.AccessToken.Split('.');
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;

        Assert.Equal("JWT", header.Str("typ"));
        Assert.Equal(projectId, claims.Str("project_id"));
        Assert.False(string.IsNullOrEmpty(claims.Str("sid")));
        Assert.Equal(claims.GetProperty("iat").GetInt64(), claims.GetProperty("nbf").GetInt64());
    }

    [Fact]
    public async Task A_refused_token_gets_one_challenge_in_the_error_envelope()
    {
        var response = await app.WithToken("not-a-token").GetAsync("/api/v1/auth/me");

        var error = await response.ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("The access token is not valid", error.Str("message"));
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The access token is not valid\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task The_precise_reason_of_a_refusal_goes_to_the_log_not_to_the_client()
    {
        var user = await app.CreateUser();
        using var key = TestTokens.ServerKey(app);
        var token = TestTokens.Rs256(key, new Dictionary<string, object?>(TestTokens.OwnClaims(user.Id)) { ["aud"] = "another-api" });

        var error = await (await app.WithToken(token).GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        Assert.Equal("The access token is not valid", error.Str("message"));
        Assert.Contains(app.Logs.Lines, l => l.Category == typeof(BearerEvents).FullName && l.Text.Contains("Audience validation failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_challenge_of_the_bearer_scheme_answers_like_access_control()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Response.Body = new MemoryStream();

        await context.ChallengeAsync(BearerAuthentication.SchemeName);

        context.Response.Body.Position = 0;
        var error = JsonDocument.Parse(context.Response.Body).RootElement.GetProperty("error");
        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal("UNAUTHORIZED", error.Str("code"));
        Assert.Equal("Bearer", Assert.Single(context.Response.Headers.WWWAuthenticate));
    }

    [Fact]
    public async Task A_token_accepted_before_does_not_vouch_for_its_claims_under_another_signature()
    {
        var user = await app.CreateUser();
        using var otherKey = RSA.Create(2048);
        await (await user.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
        var parts = user.Tokens.AccessToken.Split('.');
        var signedByAnotherKey = TestTokens.Encode(
            JsonSerializer.Deserialize<Dictionary<string, object?>>(Base64Url.DecodeFromChars(parts[0]))!,
            JsonSerializer.Deserialize<Dictionary<string, object?>>(Base64Url.DecodeFromChars(parts[1]))!,
            input => otherKey.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var withSignatureOfAnotherToken = $"{parts[0]}.{parts[1]}.{(await app.CreateUser()).Tokens.AccessToken.Split('.')[2]}";

        foreach (var forged in new[] { signedByAnotherKey, withSignatureOfAnotherToken, signedByAnotherKey })
        {
            var error = await (await app.WithToken(forged).GetAsync("/api/v1/auth/me")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            Assert.Equal("The access token is not valid", error.Str("message"));
        }

        var me = await (await user.Client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);
        Assert.Equal(user.Id, me.Str("userId"));
    }

    [Fact]
    public async Task A_websocket_upgrade_may_carry_the_token_in_the_query_string()
    {
        var user = await app.CreateUser();
        var websockets = app.Server.CreateWebSocketClient();

        // No route accepts upgrades yet, so each handshake ends with the status of GET /auth/me.
        var accepted = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            websockets.ConnectAsync(new Uri($"ws://localhost/api/v1/auth/me?token={user.Tokens.AccessToken}"), default));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            websockets.ConnectAsync(new Uri("ws://localhost/api/v1/auth/me?token=not-a-token"), default));

        Assert.EndsWith("status code: 200", accepted.Message);
        Assert.EndsWith("status code: 401", refused.Message);
    }
}
