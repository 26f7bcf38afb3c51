using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Montu.Server.Features.Auth;

/// <summary>
/// The issuers whose tokens are accepted: this server (its key ring and audience) and the
/// configured external OpenID issuers (their JWKS and audiences). A token's <c>iss</c> only picks
/// where its key comes from and which audience it must name; nothing else is trusted before the
/// signature holds.
/// </summary>
public sealed class TrustedIssuers(SigningKeys keys, ExternalKeySets externalKeys, IOptions<AuthOptions> options)
{
    private readonly AuthOptions _options = options.Value;
    private readonly Dictionary<string, ExternalIssuerOptions> _external =
        options.Value.ExternalIssuers.ToDictionary(i => i.Issuer, StringComparer.Ordinal);

    public IEnumerable<string> Names => [_options.Issuer, .. _external.Keys];

    /// <summary>The configuration of an external issuer; null for this server and for unknown issuers.</summary>
    public ExternalIssuerOptions? External(string? issuer) =>
        issuer is not null && issuer != _options.Issuer ? _external.GetValueOrDefault(issuer) : null;

    /// <summary>
    /// The key named by <paramref name="keyId"/> among those of the token's issuer, so a key of one
    /// issuer never verifies another's tokens. No <c>kid</c>, no key.
    /// </summary>
    public IEnumerable<SecurityKey> SigningKeysFor(SecurityToken securityToken, string? keyId)
    {
        if (string.IsNullOrEmpty(keyId))
        {
            return [];
        }

        if (securityToken.Issuer == _options.Issuer)
        {
            return keys.Find(keyId) is { } key ? [key.VerificationKey] : [];
        }

        return External(securityToken.Issuer) is { } external ? externalKeys.Find(external, keyId) : [];
    }

    /// <summary>The token names the audience configured for its own issuer.</summary>
    public bool AudienceMatches(IEnumerable<string> audiences, SecurityToken securityToken)
    {
        var expected = securityToken.Issuer == _options.Issuer ? _options.Audience : External(securityToken.Issuer)?.Audience;
        return expected is not null && audiences.Contains(expected, StringComparer.Ordinal);
    }
}
