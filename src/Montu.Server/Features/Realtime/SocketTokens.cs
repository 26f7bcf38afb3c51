using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Montu.Server.Features.Auth;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Features.Realtime;

/// <summary>
/// The tokens of live sockets. An upgrade is authenticated like any request; afterwards the
/// socket's token is admitted again at every delivery (a disabled user, a revoked session or an
/// expired token ends it), and an <c>auth</c> message may replace it, verified exactly as the
/// bearer handler verifies a request's.
/// </summary>
public sealed class SocketTokens(IOptionsMonitor<JwtBearerOptions> bearer, TokenAdmission admission, TimeProvider time)
{
    /// <summary>The caller a token still speaks for, or null when it no longer lets anyone in.</summary>
    public async ValueTask<Caller?> AdmitAsync(JsonWebToken token, CancellationToken ct)
    {
        var admitted = await admission.AdmitAsync(token, ct);
        return admitted.Caller is { } caller && caller.ExpiresAt > time.GetUtcNow() ? caller : null;
    }

    /// <summary>Verifies a token sent on a live socket: signature, issuer, audience and lifetime, then Montu's checks.</summary>
    public async ValueTask<(JsonWebToken Token, Caller Caller)?> VerifyAsync(string token, CancellationToken ct)
    {
        var options = bearer.Get(BearerAuthentication.SchemeName);
        foreach (var handler in options.TokenHandlers)
        {
            var result = await handler.ValidateTokenAsync(token, options.TokenValidationParameters);
            if (result.IsValid && result.SecurityToken is JsonWebToken verified && await AdmitAsync(verified, ct) is { } caller)
            {
                return (verified, caller);
            }
        }

        return null;
    }
}
