using System.Buffers.Text;
using System.Collections.Concurrent;
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
    private const int PruneEvery = 10_000;
    private readonly AuthOptions _options = options.Value;
    private readonly Dictionary<string, ExternalIssuerOptions> _external =
        options.Value.ExternalIssuers.ToDictionary(i => i.Issuer, StringComparer.Ordinal);

    // Tokens whose signature and claims were checked, by their exact text: a client reuses its
    // token for an hour, so the RSA verification runs once, not on every request. Only
    // signature-checked tokens get in, so the cache cannot be filled by forgeries.
    private readonly ConcurrentDictionary<string, VerifiedToken> _verified = new(StringComparer.Ordinal);
    private int _additions;

    public async ValueTask<TokenValidation> ValidateAsync(string token, CancellationToken ct)
    {
        if (!_verified.TryGetValue(token, out var verified))
        {
            var (checkedToken, failure) = await VerifyAsync(token, ct);
            if (checkedToken is null)
            {
                return failure;
            }

            verified = checkedToken;
            if (_verified.TryAdd(token, verified) && Interlocked.Increment(ref _additions) % PruneEvery == 0)
            {
                PruneExpired();
            }
        }

        return await AdmitAsync(verified, ct);
    }

    /// <summary>Everything that depends on the token alone: format, algorithm, key, signature, claims.</summary>
    private async ValueTask<(VerifiedToken?, TokenValidation)> VerifyAsync(string token, CancellationToken ct)
    {
        using var jwt = JwtFormat.Decode(token, out var error);
        if (jwt is null)
        {
            return (null, TokenValidation.Refused(error!));
        }

        if (jwt.Algorithm != JwtFormat.Algorithm)
        {
            return (null, TokenValidation.Refused($"algorithm '{jwt.Algorithm}' is not accepted"));
        }

        if (jwt.KeyId is not { Length: > 0 } keyId)
        {
            return (null, TokenValidation.Refused("no kid"));
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
            return (null, TokenValidation.Refused("unknown issuer"));
        }

        if (verifier is null)
        {
            return (null, TokenValidation.Refused("unknown kid"));
        }

        if (!jwt.VerifyWith(verifier))
        {
            return (null, TokenValidation.Refused("bad signature"));
        }

        if (!jwt.HasAudience(external?.Audience ?? _options.Audience))
        {
            return (null, TokenValidation.Refused("wrong audience"));
        }

        var now = time.GetUtcNow();
        if (jwt.Time("exp") is not { } expires)
        {
            return (null, TokenValidation.Refused("no exp"));
        }

        if (now > expires + _options.ClockSkew)
        {
            return (null, new TokenValidation(null, "expired", Expired: true));
        }

        if (jwt.Time("nbf") > now + _options.ClockSkew || jwt.Time("iat") > now + _options.ClockSkew)
        {
            return (null, TokenValidation.Refused("not valid yet"));
        }

        var own = external is null ? OwnToken(jwt, expires) : await ExternalTokenAsync(jwt, token, external, expires, ct);
        return own is null ? (null, TokenValidation.Refused("missing claims or no Montu user for them")) : (own, default);
    }

    private static VerifiedToken? OwnToken(DecodedJwt jwt, DateTimeOffset expires) =>
        jwt.Text("sub") is { Length: > 0 } userId && jwt.Text("jti") is { Length: > 0 } tokenId && jwt.Time("iat") is { } issuedAt
            ? new VerifiedToken(userId, tokenId, jwt.Text("sid"), jwt.Text("project_id"), issuedAt, expires)
            : null;

    private async ValueTask<VerifiedToken?> ExternalTokenAsync(DecodedJwt jwt, string token, ExternalIssuerOptions issuer, DateTimeOffset expires, CancellationToken ct)
    {
        var verified = jwt.Flag("email_verified");
        if (jwt.Text(issuer.EmailClaim) is not { Length: > 0 } email || verified == false || (issuer.RequireVerifiedEmail && verified != true))
        {
            return null;
        }

        var userId = await users.FindIdByEmailAsync(email, ct)
            ?? (issuer.AutoProvision ? await externalUsers.ProvisionAsync(email, jwt.Text("name"), issuer.Issuer, ct) : null);

        // External issuers may set no jti; a hash of the token identifies it for logout instead.
        var tokenId = "x_" + Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
        return userId is null ? null : new VerifiedToken(userId, tokenId, null, null, null, expires);
    }

    /// <summary>What can change while a token lives, checked on every request: its expiry and its user's state.</summary>
    private async ValueTask<TokenValidation> AdmitAsync(VerifiedToken token, CancellationToken ct)
    {
        if (time.GetUtcNow() > token.ExpiresAt + _options.ClockSkew)
        {
            return new TokenValidation(null, "expired", Expired: true);
        }

        if (await users.GetAsync(token.UserId, ct) is not { } user)
        {
            return TokenValidation.Refused("unknown user");
        }

        if (user.Disabled)
        {
            return TokenValidation.Refused("user disabled");
        }

        if (token.IssuedAt is { } issuedAt && user.TokensNotBefore is { } notBefore && issuedAt.UtcDateTime < notBefore)
        {
            return TokenValidation.Refused("issued before the user's sessions were ended");
        }

        if ((token.SessionId is not null && user.RevokedSessions.Contains(token.SessionId)) || user.DeniedTokenIds.Contains(token.TokenId))
        {
            return TokenValidation.Refused("token revoked");
        }

        return new TokenValidation(new Caller(user, token.TokenId, token.SessionId, token.ProjectId, token.ExpiresAt), null);
    }

    private void PruneExpired()
    {
        var cutoff = time.GetUtcNow() - _options.ClockSkew;
        foreach (var (text, token) in _verified)
        {
            if (token.ExpiresAt < cutoff)
            {
                _verified.TryRemove(text, out _);
            }
        }
    }

    /// <summary>The claims of a token whose signature held; <see cref="IssuedAt"/> is null for external tokens.</summary>
    private sealed record VerifiedToken(string UserId, string TokenId, string? SessionId, string? ProjectId, DateTimeOffset? IssuedAt, DateTimeOffset ExpiresAt);
}
