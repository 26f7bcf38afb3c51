using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Montu.Server.Features.Auth;

/// <summary>An RSA key pair of this server; <see cref="KeyId"/> is its RFC 7638 thumbprint.</summary>
public sealed class SigningKey(string keyId, RSA privateKey) : IDisposable
{
    private readonly Lock _signing = new();

    public string KeyId => keyId;

    public RsaVerifier Verifier { get; } = RsaVerifier.For(privateKey);

    public Jwk PublicJwk { get; } = Jwk.FromPublicKey(keyId, privateKey);

    /// <summary>Signs under a lock: signing happens only at login and refresh, never per request.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        lock (_signing)
        {
            return privateKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
    }

    public void Dispose()
    {
        Verifier.Dispose();
        privateKey.Dispose();
    }
}

/// <summary>
/// The server's RSA key ring. Keys come from configuration (<c>Auth:SigningKeys</c>, oldest
/// first) or from <c>MONTU_DATA_DIR/keys/signing-*.pem</c> (oldest name first), where one is
/// generated with mode 600 on first start. The newest key signs; every key verifies, so tokens
/// signed by a retiring key stay valid until they expire. All public keys are published at
/// <c>/.well-known/jwks.json</c>.
/// </summary>
public sealed class SigningKeys : IDisposable
{
    public const int KeySizeBits = 2048;
    private const string FilePattern = "signing-*.pem";
    private readonly Dictionary<string, SigningKey> _byId;

    private SigningKeys(IReadOnlyList<SigningKey> keys)
    {
        Keys = keys;
        _byId = keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        JwksJson = JsonSerializer.SerializeToUtf8Bytes(new { keys = keys.Select(k => k.PublicJwk).ToList() }, Jwk.JsonOptions);
    }

    public IReadOnlyList<SigningKey> Keys { get; }

    /// <summary>The newest key: the one that signs.</summary>
    public SigningKey Current => Keys[^1];

    /// <summary>The JSON of <c>/.well-known/jwks.json</c>, computed once.</summary>
    public byte[] JwksJson { get; }

    /// <summary>The key named by a token's <c>kid</c>.</summary>
    public SigningKey? Find(string keyId) => _byId.GetValueOrDefault(keyId);

    public static SigningKeys Load(AuthOptions options, string dataDir, TimeProvider time, ILogger logger)
    {
        var pems = options.SigningKeys.Count > 0
            ? options.SigningKeys.Select(ReadConfigured).ToList()
            : ReadOrCreateInDataDir(Path.Combine(dataDir, "keys"), time, logger);
        var keys = pems.Select(pem =>
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            if (rsa.KeySize < KeySizeBits)
            {
                throw new InvalidOperationException($"Signing keys must have at least {KeySizeBits} bits");
            }

            return new SigningKey(Jwk.Thumbprint(rsa), rsa);
        }).ToList();
        logger.LogInformation("Token signing key {KeyId} ({Count} key(s) accepted)", keys[^1].KeyId, keys.Count);
        return new SigningKeys(keys);
    }

    /// <summary>The file name a key generated now gets; names sort by age, so an operator adds a newer key the same way.</summary>
    public static string NewKeyFileName(DateTimeOffset now) => $"signing-{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}.pem";

    private static string ReadConfigured(SigningKeyOptions key) =>
        key.PrivateKeyPem is { Length: > 0 } pem ? pem
        : key.PrivateKeyFile is { Length: > 0 } file ? File.ReadAllText(file)
        : throw new InvalidOperationException("Each Auth:SigningKeys entry needs PrivateKeyPem or PrivateKeyFile");

    private static List<string> ReadOrCreateInDataDir(string folder, TimeProvider time, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var files = Directory.GetFiles(folder, FilePattern).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            files.Add(CreateKeyFile(folder, time, logger));
        }

        foreach (var file in files.Where(f => !OperatingSystem.IsWindows() && (File.GetUnixFileMode(f) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0))
        {
            logger.LogWarning("Signing key {File} is readable by other users; restrict it with chmod 600", file);
        }

        return files.Select(File.ReadAllText).ToList();
    }

    private static string CreateKeyFile(string folder, TimeProvider time, ILogger logger)
    {
        using var rsa = RSA.Create(KeySizeBits);
        var path = Path.Combine(folder, NewKeyFileName(time.GetUtcNow()));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()));
        }

        logger.LogInformation("Generated token signing key {File}", path);
        return path;
    }

    public void Dispose()
    {
        foreach (var key in Keys)
        {
            key.Dispose();
        }
    }
}

/// <summary>RSA public keys as JSON Web Keys (RFC 7517), for our JWKS and for reading issuers' JWKS.</summary>
public sealed record Jwk(string Kty, string? Use, string? Alg, string? Kid, string? N, string? E)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static Jwk FromPublicKey(string keyId, RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new Jwk("RSA", "sig", JwtFormat.Algorithm, keyId, Base64Url.EncodeToString(parameters.Modulus), Base64Url.EncodeToString(parameters.Exponent));
    }

    /// <summary>RFC 7638: SHA-256 over the required members in lexical order, base64url.</summary>
    public static string Thumbprint(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var canonical = $"{{\"e\":\"{Base64Url.EncodeToString(parameters.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64Url.EncodeToString(parameters.Modulus)}\"}}";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>A verifier for an RSA key usable with RS256, or null for any other kind of key.</summary>
    public RsaVerifier? ToVerifier()
    {
        if (Kty != "RSA" || Use is not (null or "sig") || Alg is not (null or JwtFormat.Algorithm) || N is null || E is null)
        {
            return null;
        }

        try
        {
            var parameters = new RSAParameters { Modulus = Base64Url.DecodeFromChars(N).AsSpan().TrimStart((byte)0).ToArray(), Exponent = Base64Url.DecodeFromChars(E) };
            if (parameters.Modulus.Length * 8 < SigningKeys.KeySizeBits)
            {
                return null;
            }

            // Import once now, so a malformed key fails here rather than on a request.
            using var check = RSA.Create();
            check.ImportParameters(parameters);
            return new RsaVerifier(parameters);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
