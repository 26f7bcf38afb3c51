using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Montu.Server.Features.Auth;

namespace Montu.Server.Tests.Features.Auth;

public sealed class KeyRotationTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task A_newer_key_signs_while_tokens_of_the_older_key_stay_valid()
    {
        var user = await app.CreateUser();
        var oldKid = KeyIdOf(user.Tokens.AccessToken);
        using var newer = RSA.Create(2048);
        var file = Path.Combine(app.DataDir, "keys", SigningKeys.NewKeyFileName(DateTimeOffset.UtcNow.AddMinutes(1)));
        await File.WriteAllTextAsync(file, newer.ExportPkcs8PrivateKeyPem());

        // An operator adds the key file and restarts: same database and data dir.
        await using var restarted = app.WithWebHostBuilder(_ => { });
        var client = restarted.CreateClient();
        var old = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me") { Headers = { { "Authorization", "Bearer " + user.Tokens.AccessToken } } };
        await (await client.SendAsync(old)).Expect(HttpStatusCode.OK);
        var fresh = await client.Login(user.Email, user.Password);
        var jwks = await (await client.GetAsync("/.well-known/jwks.json")).Expect(HttpStatusCode.OK);

        Assert.Equal(Jwk.Thumbprint(newer), KeyIdOf(fresh.AccessToken));
        Assert.NotEqual(oldKid, KeyIdOf(fresh.AccessToken));
        Assert.Equal(
            new[] { oldKid, Jwk.Thumbprint(newer) }.Order(),
            jwks.GetProperty("keys").EnumerateArray().Select(k => k.Str("kid")).Order());
    }

    private static string KeyIdOf(string token) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[0])).RootElement.Str("kid");
}

public sealed class ConfiguredKeyTests(ConfiguredKeyTests.KeyApp app) : IClassFixture<ConfiguredKeyTests.KeyApp>
{
    /// <summary>A server whose signing key comes from configuration instead of the data dir.</summary>
    public sealed class KeyApp : TestApp
    {
        public KeyApp()
        {
            using var key = RSA.Create(2048);
            Settings["Auth:SigningKeys:0:PrivateKeyPem"] = key.ExportPkcs8PrivateKeyPem();
            KeyId = Jwk.Thumbprint(key);
        }

        public string KeyId { get; }
    }

    [Fact]
    public async Task A_configured_key_signs_and_nothing_is_written_to_the_data_dir()
    {
        var user = await app.CreateUser();

        var kid = JsonDocument.Parse(Base64Url.DecodeFromChars(user.Tokens.AccessToken.Split('.')[0])).RootElement.Str("kid");

        Assert.Equal(app.KeyId, kid);
        Assert.False(Directory.Exists(Path.Combine(app.DataDir, "keys")));
    }
}
