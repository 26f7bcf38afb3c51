using System.Buffers.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Auth;

/// <summary>A signed access token and how many seconds it lives.</summary>
public sealed record IssuedAccessToken(string Token, int ExpiresInSeconds);

/// <summary>Signs access tokens with the newest key: RS256, <c>kid</c> in the header, the claims <see cref="TokenAdmission"/> requires.</summary>
public sealed class AccessTokenIssuer(SigningKeys keys, IdGenerator ids, IOptions<AuthOptions> options, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Tokens = new();
    private readonly AuthOptions _options = options.Value;

    /// <summary>A token for the user, carrying the chosen project and the session (refresh-token family), so ending the session ends its access tokens too.</summary>
    public IssuedAccessToken Issue(string userId, string? projectId, string sessionId)
    {
        // Whole seconds: NumericDate claims are compared to the second.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = userId,
            ["jti"] = Base64Url.EncodeToString(ids.NewSecret(16)),
            ["sid"] = sessionId,
        };
        if (projectId is not null)
        {
            claims["project_id"] = projectId;
        }

        var token = Tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.AccessTokenLifetime,
            Claims = claims,
            SigningCredentials = keys.Current.Credentials,
        });
        return new IssuedAccessToken(token, (int)_options.AccessTokenLifetime.TotalSeconds);
    }
}
