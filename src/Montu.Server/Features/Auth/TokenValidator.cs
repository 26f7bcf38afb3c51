using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Features.Auth;

/// <summary>The outcome of checking a bearer token: a caller, or why it was refused.</summary>
public readonly record struct TokenValidation(Caller? Caller, string? Failure, bool Expired = false)
{
    public static TokenValidation Refused(string reason) => new(null, reason);
}

/// <summary>
/// Decides whether a bearer token is trusted: RS256 only, a known key, then issuer, audience,
/// lifetime (with a small clock skew) and finally the user: exists, enabled, token not ended
/// early. Tokens of this server and of configured external issuers take the same path; only
/// where the key comes from and how the user is found differ.
/// </summary>
public sealed class TokenValidator(
    SigningKeys keys,
    ExternalKeySets externalKeys,
    ExternalUsers externalUsers,
    UserAccessCache users,
    IOptions<AuthOptions> options,
    TimeProvider time)
{
    private readonly AuthOptions _options = options.Value;
    private readonly Dictionary<string, ExternalIssuerOptions> _external =
        options.Value.ExternalIssuers.ToDictionary(i => i.Issuer, StringComparer.Ordinal);

    public async ValueTask<TokenValidation> ValidateAsync(string token, CancellationToken ct)
    {
        using var jwt = JwtFormat.Decode(token, out var error);
        if (jwt is null)
        {
            return TokenValidation.Refused(error!);
        }

        if (jwt.Algorithm != JwtFormat.Algorithm)
        {
            return TokenValidation.Refused($"algorithm '{jwt.Algorithm}' is not accepted");
        }

        if (jwt.KeyId is not { Length: > 0 } keyId)
        {
            return TokenValidation.Refused("no kid");
        }

        // The issuer only picks where the key comes from; nothing else is read before the signature holds.
        var issuer = jwt.Text("iss");
        ExternalIssuerOptions? external = null;
        RsaVerifier? verifier;
        if (issuer == _options.Issuer)
        {
            verifier = keys.Find(keyId)?.Verifier;
        }
        else if (issuer is not null && _external.TryGetValue(issuer, out external))
        {
            verifier = await externalKeys.FindAsync(external, keyId, ct);
        }
        else
        {
            return TokenValidation.Refused("unknown issuer");
        }

        if (verifier is null)
        {
            return TokenValidation.Refused("unknown kid");
        }

        if (!jwt.VerifyWith(verifier))
        {
            return TokenValidation.Refused("bad signature");
        }

        if (!jwt.HasAudience(external?.Audience ?? _options.Audience))
        {
            return TokenValidation.Refused("wrong audience");
        }

        var now = time.GetUtcNow();
        if (jwt.Time("exp") is not { } expires)
        {
            return TokenValidation.Refused("no exp");
        }

        if (now > expires + _options.ClockSkew)
        {
            return new TokenValidation(null, "expired", Expired: true);
        }

        if (jwt.Time("nbf") > now + _options.ClockSkew || jwt.Time("iat") > now + _options.ClockSkew)
        {
            return TokenValidation.Refused("not valid yet");
        }

        return external is null ? await OwnCallerAsync(jwt, expires, ct) : await ExternalCallerAsync(jwt, token, external, expires, ct);
    }

    private async ValueTask<TokenValidation> OwnCallerAsync(DecodedJwt jwt, DateTimeOffset expires, CancellationToken ct)
    {
        if (jwt.Text("sub") is not { Length: > 0 } userId || jwt.Text("jti") is not { Length: > 0 } tokenId || jwt.Time("iat") is not { } issuedAt)
        {
            return TokenValidation.Refused("missing sub, jti or iat");
        }

        var sessionId = jwt.Text("sid");
        if (await users.GetAsync(userId, ct) is not { } user)
        {
            return TokenValidation.Refused("unknown user");
        }

        if (user.TokensNotBefore is { } notBefore && issuedAt.UtcDateTime < notBefore)
        {
            return TokenValidation.Refused("issued before the user's sessions were ended");
        }

        if (sessionId is not null && user.RevokedSessions.Contains(sessionId))
        {
            return TokenValidation.Refused("session ended");
        }

        return Admit(user, tokenId, sessionId, jwt.Text("project_id"), expires);
    }

    private async ValueTask<TokenValidation> ExternalCallerAsync(DecodedJwt jwt, string token, ExternalIssuerOptions issuer, DateTimeOffset expires, CancellationToken ct)
    {
        var verified = jwt.Flag("email_verified");
        if (jwt.Text(issuer.EmailClaim) is not { Length: > 0 } email || verified == false || (issuer.RequireVerifiedEmail && verified != true))
        {
            return TokenValidation.Refused("no verified email");
        }

        var userId = await users.FindIdByEmailAsync(email, ct)
            ?? (issuer.AutoProvision ? await externalUsers.ProvisionAsync(email, jwt.Text("name"), issuer.Issuer, ct) : null);
        if (userId is null || await users.GetAsync(userId, ct) is not { } user)
        {
            return TokenValidation.Refused("no Montu user with this email");
        }

        // External issuers may set no jti; a hash of the token identifies it for logout instead.
        var tokenId = "x_" + Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
        return Admit(user, tokenId, null, null, expires);
    }

    private static TokenValidation Admit(UserAccess user, string tokenId, string? sessionId, string? projectId, DateTimeOffset expires)
    {
        if (user.Disabled)
        {
            return TokenValidation.Refused("user disabled");
        }

        return user.DeniedTokenIds.Contains(tokenId)
            ? TokenValidation.Refused("token revoked")
            : new TokenValidation(new Caller(user, tokenId, sessionId, projectId, expires), null);
    }
}
