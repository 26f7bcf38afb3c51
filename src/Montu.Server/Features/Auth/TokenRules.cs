using System.Buffers.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Montu.Server.Features.Auth;

/// <summary>
/// What the library checks on every bearer token, in its order: the token is read strictly,
/// <c>alg</c> is RS256 (so <c>none</c>, <c>HS256</c> keyed with our public key, <c>RS512</c>... fail
/// before any key is touched), the key is the one its issuer publishes under the <c>kid</c>, the
/// signature holds, then lifetime, audience and issuer. Montu's own checks follow in
/// <see cref="TokenAdmission"/>.
/// </summary>
public static class TokenRules
{
    // The library lets a repeated member silently take the last value; two readers of one token
    // must never see different claims, so a repeated name is refused.
    private static readonly JsonDocumentOptions UniqueMembers = new() { AllowDuplicateProperties = false, MaxDepth = 8 };

    public static TokenValidationParameters For(TrustedIssuers issuers, AuthOptions options, TimeProvider time) => new()
    {
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        RequireSignedTokens = true,
        IssuerSigningKeyResolver = (_, token, keyId, _) => issuers.SigningKeysFor(token, keyId),
        // A key is found by the token's kid or not at all, never by trying each one.
        TryAllIssuerSigningKeys = false,
        ValidIssuers = issuers.Names,
        AudienceValidator = (audiences, token, _) => issuers.AudienceMatches(audiences, token),
        ClockSkew = options.ClockSkew,
        LifetimeValidator = (notBefore, expires, token, parameters) => CheckLifetime(notBefore, expires, token, parameters.ClockSkew, time),
        TokenReader = (token, _) => ReadStrictly(token),
    };

    /// <summary>
    /// The library's own lifetime check reads the system clock; this one reads the injected
    /// <see cref="TimeProvider"/>, and also refuses tokens issued in the future.
    /// </summary>
    private static bool CheckLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TimeSpan skew, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is not { } expiresAt)
        {
            throw new SecurityTokenNoExpirationException("The token has no exp");
        }

        if (expiresAt < now - skew)
        {
            throw new SecurityTokenExpiredException("The token has expired") { Expires = expiresAt };
        }

        if (notBefore > now + skew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet") { NotBefore = notBefore.Value };
        }

        if (token is JsonWebToken { IssuedAt: var issuedAt } && issuedAt > now + skew)
        {
            throw new SecurityTokenInvalidLifetimeException("The token was issued in the future") { NotBefore = notBefore, Expires = expiresAt };
        }

        return true;
    }

    /// <summary>
    /// The library's reader, refusing repeated member names and, before anything is validated,
    /// <c>crit</c>: it names extensions the recipient must understand (RFC 7515 §4.1.11), and we
    /// understand none.
    /// </summary>
    private static JsonWebToken ReadStrictly(string token)
    {
        var jwt = new JsonWebToken(token);
        if (jwt.IsEncrypted || jwt.TryGetHeaderValue<object>("crit", out _))
        {
            throw new SecurityTokenMalformedException("Encrypted tokens and critical header parameters are not supported");
        }

        try
        {
            using (JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.EncodedHeader), UniqueMembers))
            using (JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.EncodedPayload), UniqueMembers))
            {
                return jwt;
            }
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new SecurityTokenMalformedException("The token repeats a member name", e);
        }
    }
}
