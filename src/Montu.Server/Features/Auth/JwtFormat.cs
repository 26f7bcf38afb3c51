using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Montu.Server.Features.Auth;

/// <summary>
/// The compact JWS form (RFC 7515/7519) for RS256 only: writing our tokens and taking apart
/// incoming ones. It decides nothing about trust; <see cref="TokenValidator"/> does.
/// </summary>
public static class JwtFormat
{
    /// <summary>The only algorithm accepted: the allow-list is this one constant.</summary>
    public const string Algorithm = "RS256";

    /// <summary>Far above any real token; stops oversized headers from costing parse time.</summary>
    public const int MaxLength = 16 * 1024;

    // Duplicate names would let two readers of one token see different claims.
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 8 };

    public static string Sign(SigningKey key, Action<Utf8JsonWriter> writeClaims)
    {
        var header = Encode(writer =>
        {
            writer.WriteString("alg", Algorithm);
            writer.WriteString("typ", "JWT");
            writer.WriteString("kid", key.KeyId);
        });
        var signingInput = header + "." + Encode(writeClaims);
        return signingInput + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>Splits and parses a token; null with a reason when it is not a well-formed JWS.</summary>
    public static DecodedJwt? Decode(string token, out string? error)
    {
        error = null;
        if (token.Length > MaxLength)
        {
            error = "token too long";
            return null;
        }

        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.IndexOf('.', second + 1) >= 0)
        {
            error = "not a compact JWS";
            return null;
        }

        JsonDocument? header = null;
        JsonDocument? payload = null;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(0, first)), Strict);
            payload = JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(first + 1, second - first - 1)), Strict);
            var signature = Base64Url.DecodeFromChars(token.AsSpan(second + 1));
            if (header.RootElement.ValueKind != JsonValueKind.Object || payload.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "header and payload must be JSON objects";
                return null;
            }

            // "crit" names extensions the recipient must understand; we understand none (RFC 7515 §4.1.11).
            if (header.RootElement.TryGetProperty("crit", out _))
            {
                error = "critical header parameters are not supported";
                return null;
            }

            var decoded = new DecodedJwt(
                Text(header.RootElement, "alg") ?? "",
                Text(header.RootElement, "kid"),
                payload,
                Encoding.ASCII.GetBytes(token[..second]),
                signature);
            payload = null;
            return decoded;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            error = "malformed base64url or JSON";
            return null;
        }
        finally
        {
            header?.Dispose();
            payload?.Dispose();
        }
    }

    private static string Encode(Action<Utf8JsonWriter> writeMembers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static string? ClaimText(JsonElement claims, string name) => Text(claims, name);
}

/// <summary>A parsed, not yet trusted token. Reading claims before <see cref="VerifyWith"/> succeeds is only for choosing the key.</summary>
public sealed class DecodedJwt(string algorithm, string? keyId, JsonDocument payload, byte[] signingInput, byte[] signature) : IDisposable
{
    public string Algorithm => algorithm;

    public string? KeyId => keyId;

    public bool VerifyWith(RsaVerifier verifier) => verifier.Verify(signingInput, signature);

    public string? Text(string claim) => JwtFormat.ClaimText(payload.RootElement, claim);

    /// <summary>A NumericDate claim (<c>exp</c>, <c>nbf</c>, <c>iat</c>) as an instant.</summary>
    public DateTimeOffset? Time(string claim) =>
        payload.RootElement.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds)
            && seconds is >= 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;

    /// <summary><c>true</c>/<c>false</c>, also as the strings some issuers send; null when absent.</summary>
    public bool? Flag(string claim) => payload.RootElement.TryGetProperty(claim, out var value) ? value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
        _ => false,
    } : null;

    /// <summary><c>aud</c> is a string or an array of strings (RFC 7519 §4.1.3).</summary>
    public bool HasAudience(string audience)
    {
        if (!payload.RootElement.TryGetProperty("aud", out var aud))
        {
            return false;
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => aud.ValueEquals(audience),
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.ValueEquals(audience)),
            _ => false,
        };
    }

    public void Dispose() => payload.Dispose();
}
