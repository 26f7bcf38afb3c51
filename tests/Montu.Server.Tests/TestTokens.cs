using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Montu.Server.Features.Auth;

namespace Montu.Server.Tests;

/// <summary>Builds JWTs by hand, well-formed or deliberately wrong, to probe the server's validation.</summary>
public static class TestTokens
{
    /// <summary>The server's newest signing key, read from its data dir as an attacker with file access could not.</summary>
    public static RSA ServerKey(TestApp app)
    {
        var file = Directory.GetFiles(Path.Combine(app.DataDir, "keys"), "signing-*.pem").Order(StringComparer.Ordinal).Last();
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(file));
        return rsa;
    }

    /// <summary>The claims of a valid access token of this server for <paramref name="userId"/>.</summary>
    public static Dictionary<string, object?> OwnClaims(string userId, DateTimeOffset? now = null)
    {
        var at = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        return new Dictionary<string, object?>
        {
            ["iss"] = "montu",
            ["aud"] = "montu-api",
            ["sub"] = userId,
            ["iat"] = at,
            ["nbf"] = at,
            ["exp"] = at + 3600,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
    }

    public static string Rs256(RSA key, IDictionary<string, object?> claims, string? kid = null) =>
        Encode(new Dictionary<string, object?> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = kid ?? Jwk.Thumbprint(key) }, claims,
            input => key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static string Encode(IDictionary<string, object?> header, IDictionary<string, object?> claims, Func<byte[], byte[]> sign)
    {
        var input = Part(header) + "." + Part(claims);
        return input + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(input)));
    }

    private static string Part(IDictionary<string, object?> members) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(members));
}
