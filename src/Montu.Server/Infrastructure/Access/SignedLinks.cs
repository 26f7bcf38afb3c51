using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Montu.Server.Infrastructure.Access;

/// <summary>
/// Short-lived URLs that work without a token, so a browser's <c>&lt;video src&gt;</c> or
/// <c>&lt;img src&gt;</c> can fetch a file: the URL carries its expiry and an HMAC-SHA256 over the
/// resource, the purpose and the expiry, keyed with a server secret (<c>Links:Secret</c>, or
/// <c>MONTU_DATA_DIR/keys/links.key</c>, generated on first start; instances behind one load
/// balancer must share it).
/// </summary>
public sealed class SignedLinks(byte[] secret, TimeProvider time)
{
    public const string ExpiresParameter = "expires";
    public const string SignatureParameter = "signature";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    public static SignedLinks Load(IConfiguration configuration, TimeProvider time)
    {
        if (configuration["Links:Secret"] is { Length: > 0 } configured)
        {
            return new SignedLinks(Encoding.UTF8.GetBytes(configured), time);
        }

        var file = Path.Combine(DataDirectory.From(configuration), "keys", "links.key");
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(file, options);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        }

        return new SignedLinks(Convert.FromBase64String(File.ReadAllText(file).Trim()), time);
    }

    /// <summary>The query string (with its <c>?</c>) that lets <paramref name="purpose"/> on <paramref name="resourceId"/> through until the returned time.</summary>
    public (string Query, DateTimeOffset ExpiresAt) Sign(string resourceId, string purpose, TimeSpan lifetime)
    {
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds());
        var expires = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return ($"?{ExpiresParameter}={expires}&{SignatureParameter}={Signature(resourceId, purpose, expires)}", expiresAt);
    }

    /// <summary>Whether the request carries a link at all (then only the link decides).</summary>
    public static bool IsPresented(HttpContext context) =>
        context.Request.Query.ContainsKey(SignatureParameter) || context.Request.Query.ContainsKey(ExpiresParameter);

    public bool Verify(HttpContext context, string resourceId, string purpose)
    {
        var expires = context.Request.Query[ExpiresParameter].ToString();
        var presented = context.Request.Query[SignatureParameter].ToString();
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds < time.GetUtcNow().ToUnixTimeSeconds()
            || seconds > time.GetUtcNow().Add(MaxLifetime).ToUnixTimeSeconds() + 60)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Signature(resourceId, purpose, expires)), Encoding.ASCII.GetBytes(presented));
    }

    private string Signature(string resourceId, string purpose, string expires) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{purpose}\n{resourceId}\n{expires}")));
}
