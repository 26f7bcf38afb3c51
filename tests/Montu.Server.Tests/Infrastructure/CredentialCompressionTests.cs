using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>
/// Answers that carry credentials are never compressed, whatever their size (BREACH,
/// docs/decisions/0023). A 4096-bit signing key, which an operator may configure, makes them pass
/// the 1 KiB from which other documents are compressed.
/// </summary>
public sealed class CredentialCompressionTests(CredentialCompressionTests.LargeKeyApp app) : IClassFixture<CredentialCompressionTests.LargeKeyApp>
{
    public sealed class LargeKeyApp : TestApp
    {
        public LargeKeyApp()
        {
            using var key = RSA.Create(4096);
            Settings["Auth:SigningKeys:0:PrivateKeyPem"] = key.ExportPkcs8PrivateKeyPem();
        }
    }

    [Fact]
    public async Task A_sign_in_answer_is_never_compressed()
    {
        var response = await PostAsync("/api/v1/auth/login", new { email = TestApp.AdminEmail, password = TestApp.AdminPassword });

        await ExpectUncompressedTokens(response);
    }

    [Fact]
    public async Task A_refresh_answer_is_never_compressed()
    {
        var tokens = await app.Anonymous().Login(TestApp.AdminEmail, TestApp.AdminPassword);

        var response = await PostAsync("/api/v1/auth/refresh", new { refreshToken = tokens.RefreshToken });

        await ExpectUncompressedTokens(response);
    }

    private async Task<HttpResponseMessage> PostAsync(string url, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Http.JsonContent(body) };
        request.Headers.Add("Accept-Encoding", "gzip, br");
        return await app.Anonymous().SendAsync(request);
    }

    private static async Task ExpectUncompressedTokens(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(bytes.Length >= 1024, $"{bytes.Length} bytes: past the size from which documents are compressed");
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(bytes).RootElement.Str("accessToken")));
    }
}
