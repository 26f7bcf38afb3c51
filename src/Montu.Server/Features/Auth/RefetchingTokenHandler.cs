using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Montu.Server.Features.Auth;

/// <summary>
/// The library's <see cref="JsonWebTokenHandler"/>, plus one retry for an external issuer that
/// rotated its keys: when a token names a <c>kid</c> missing from that issuer's last JWKS, the set
/// is refetched (at most once a minute, <see cref="ExternalKeySets"/>) and the token validated again.
/// </summary>
public sealed class RefetchingTokenHandler : JsonWebTokenHandler
{
    private readonly TrustedIssuers _issuers;
    private readonly ExternalKeySets _externalKeys;

    public RefetchingTokenHandler(TrustedIssuers issuers, ExternalKeySets externalKeys)
    {
        _issuers = issuers;
        _externalKeys = externalKeys;
        // Far above any real token; stops oversized ones from costing parse time.
        MaximumTokenSizeInBytes = 16 * 1024;
        MapInboundClaims = false;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException
            && ReadJsonWebToken(token) is { Kid: { Length: > 0 } keyId } jwt
            && _issuers.External(jwt.Issuer) is { } issuer
            && await _externalKeys.RefetchAsync(issuer, keyId))
        {
            return await base.ValidateTokenAsync(token, validationParameters);
        }

        return result;
    }
}
