using System.Buffers.Text;
using Microsoft.Extensions.Options;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Auth;

/// <summary>A signed access token and how many seconds it lives.</summary>
public sealed record IssuedAccessToken(string Token, int ExpiresInSeconds);

/// <summary>Signs access tokens with the newest key: RS256, <c>kid</c> in the header, the claims <see cref="TokenValidator"/> requires.</summary>
public sealed class AccessTokenIssuer(SigningKeys keys, IdGenerator ids, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly AuthOptions _options = options.Value;

    /// <summary>A token for the user, carrying the chosen project and the session (refresh-token family), so ending the session ends its access tokens too.</summary>
    public IssuedAccessToken Issue(string userId, string? projectId, string sessionId)
    {
        // Whole seconds: NumericDate claims are compared to the second.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var expires = now + _options.AccessTokenLifetime;
        var tokenId = Base64Url.EncodeToString(ids.NewSecret(16));
        var token = JwtFormat.Sign(keys.Current, claims =>
        {
            claims.WriteString("iss", _options.Issuer);
            claims.WriteString("aud", _options.Audience);
            claims.WriteString("sub", userId);
            claims.WriteNumber("iat", now.ToUnixTimeSeconds());
            claims.WriteNumber("nbf", now.ToUnixTimeSeconds());
            claims.WriteNumber("exp", expires.ToUnixTimeSeconds());
            claims.WriteString("jti", tokenId);
            claims.WriteString("sid", sessionId);
            if (projectId is not null)
            {
                claims.WriteString("project_id", projectId);
            }
        });
        return new IssuedAccessToken(token, (int)_options.AccessTokenLifetime.TotalSeconds);
    }
}
