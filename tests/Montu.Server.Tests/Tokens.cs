using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests;

/// <summary>What <c>POST /auth/login</c> and <c>/auth/refresh</c> return, for tests.</summary>
public sealed record Tokens(string AccessToken, string RefreshToken, string UserId, string? ProjectId, IReadOnlyList<string> Permissions, JsonElement Body)
{
    public static Tokens From(JsonElement body) => new(
        body.Str("accessToken"),
        body.Str("refreshToken"),
        body.Str("userId"),
        body.GetProperty("projectId").GetString(),
        body.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!).ToList(),
        body);
}

public static class AuthRequests
{
    public static async Task<Tokens> Login(this HttpClient client, string email, string password, string? projectId = null) =>
        Tokens.From(await (await client.PostJson("/api/v1/auth/login", new { email, password, projectId })).Expect(HttpStatusCode.OK));

    public static Task<HttpResponseMessage> Refresh(this HttpClient client, string refreshToken) =>
        client.PostJson("/api/v1/auth/refresh", new { refreshToken });
}
