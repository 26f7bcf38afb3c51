using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Features.Auth;

/// <summary>
/// The framework's authentication hook for bearer tokens. It only establishes who is calling
/// (a <see cref="Caller"/> feature and a principal with <c>sub</c>); whether they may call the
/// endpoint is <see cref="AccessControl"/>'s decision, so a bad token on a public route is ignored.
/// </summary>
public sealed class BearerAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ReadToken(Context) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }

        var result = await validator.ValidateAsync(token, Context.RequestAborted);
        if (result.Caller is not { } caller)
        {
            Context.Features.Set(new TokenRejection(result.Expired));
            return AuthenticateResult.Fail(result.Failure!);
        }

        Context.Features.Set(caller);
        var identity = new ClaimsIdentity([new Claim("sub", caller.UserId), new Claim("jti", caller.TokenId)], SchemeName, "sub", null);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>
    /// <c>Authorization: Bearer …</c>; WebSocket upgrades may pass <c>?token=</c> instead since
    /// browsers cannot set headers on them. Other requests never take a token from the URL,
    /// where proxies and logs would keep it.
    /// </summary>
    private static string? ReadToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7)
        {
            return header[7..].Trim();
        }

        return context.WebSockets.IsWebSocketRequest && context.Request.Query["token"].ToString() is { Length: > 0 } query ? query : null;
    }
}
