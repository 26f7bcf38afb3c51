using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Montu.Server.Features.Auth;

/// <summary>An RSA key pair of this server; <see cref="KeyId"/> is its RFC 7638 thumbprint.</summary>
public sealed class SigningKey
{
    public SigningKey(string keyId, RSA key)
    {
        KeyId = keyId;
        // Keys built from parameters, not from the RSA instance: the library then gives each of its
        // pooled signature providers an RSA object of its own, so none is shared between requests.
        VerificationKey = new RsaSecurityKey(key.ExportParameters(includePrivateParameters: false)) { KeyId = keyId };
        Credentials = new SigningCredentials(
            new RsaSecurityKey(key.ExportParameters(includePrivateParameters: true)) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);
        PublicJwk = Jwk.FromPublicKey(keyId, key);
    }

    public string KeyId { get; }

    /// <summary>The public key, for verifying tokens that name this key's <c>kid</c>.</summary>
    public SecurityKey VerificationKey { get; }

    /// <summary>RS256 with the private key; the token's header gets this key's <c>kid</c>.</summary>
    public SigningCredentials Credentials { get; }

    public JsonWebKey PublicJwk { get; }
}

/// <summary>
/// The server's RSA key ring. Keys come from configuration (<c>Auth:SigningKeys</c>, oldest
/// first) or from <c>MONTU_DATA_DIR/keys/signing-*.pem</c> (oldest name first), where one is
/// generated with mode 600 on first start. The newest key signs; every key verifies, so tokens
/// signed by a retiring key stay valid until they expire. All public keys are published at
/// <c>/.well-known/jwks.json</c>.
/// </summary>
public sealed class SigningKeys
{
    public const int KeySizeBits = 2048;
    private const string FilePattern = "signing-*.pem";
    private readonly Dictionary<string, SigningKey> _byId;

    private SigningKeys(IReadOnlyList<SigningKey> keys)
    {
        Keys = keys;
        _byId = keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        JwksJson = JsonSerializer.SerializeToUtf8Bytes(new JsonWebKeySet([.. keys.Select(k => k.PublicJwk)]), Jwk.JsonOptions);
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
            using var rsa = RSA.Create();
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
}

/// <summary>RSA public keys as JSON Web Keys (RFC 7517): the entries of <c>/.well-known/jwks.json</c> and their key ids.</summary>
public static class Jwk
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static JsonWebKey FromPublicKey(string keyId, RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new JsonWebKey("RSA", "sig", SecurityAlgorithms.RsaSha256, keyId, Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent));
    }

    /// <summary>The RFC 7638 thumbprint (SHA-256 of the key's canonical JSON), base64url.</summary>
    public static string Thumbprint(RSA rsa) =>
        Base64UrlEncoder.Encode(new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)).ComputeJwkThumbprint());
}
