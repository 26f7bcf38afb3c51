using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Features.Auth;

/// <summary>
/// Montu's part in the framework's JWT bearer handler. The handler only establishes who is calling:
/// a <see cref="Caller"/> feature and a principal with <c>sub</c>, or a <see cref="TokenRejection"/>.
/// Whether they may call the endpoint is <see cref="AccessControl"/>'s decision, and it writes every
/// 401, so a bad token on a public route is ignored.
/// </summary>
public sealed class BearerEvents(TokenAdmission admission, ILogger<BearerEvents> logger) : JwtBearerEvents
{
    /// <summary>The query parameter a WebSocket upgrade may carry its access token in.</summary>
    public const string QueryToken = "token";

    /// <summary>The subprotocol that announces a token as the next requested subprotocol: <c>Sec-WebSocket-Protocol: bearer, &lt;token&gt;</c>.</summary>
    public const string SubProtocol = "bearer";

    /// <summary>
    /// WebSocket upgrades may pass <c>?token=</c> or the <c>bearer</c> subprotocol pair, since
    /// browsers cannot set headers on them. Other requests never take a token from the URL, where
    /// proxies and logs would keep it.
    /// </summary>
    public override Task MessageReceived(MessageReceivedContext context)
    {
        // A playlist's share link is no JWT: AccessControl decides it, so it is neither parsed nor logged here.
        if (ShareLinks.IsShareToken(PresentedToken(context.HttpContext)))
        {
            context.NoResult();
            return Task.CompletedTask;
        }

        if (context.Request.Headers.Authorization.Count == 0 && PresentedToken(context.HttpContext) is { } token)
        {
            context.Token = token;
        }

        return Task.CompletedTask;
    }

    /// <summary>The access token of a request: the Authorization header's, or on a WebSocket upgrade the subprotocol's or the query's.</summary>
    public static string? PresentedToken(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
        {
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return null;
        }

        var protocols = context.WebSockets.WebSocketRequestedProtocols;
        return protocols is [SubProtocol, { Length: > 0 } carried]
            ? carried
            : request.Query[QueryToken].ToString() is { Length: > 0 } token ? token : null;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var token = (JsonWebToken)context.SecurityToken;
        var admitted = await admission.AdmitAsync(token, context.HttpContext.RequestAborted);
        if (admitted.Caller is not { } caller)
        {
            logger.LogInformation("Bearer token of {Subject} from {Issuer} refused: {Reason}", token.Subject, token.Issuer, admitted.Failure);
            context.HttpContext.Features.Set(new TokenRejection(Expired: false));
            context.Fail(admitted.Failure!);
            return;
        }

        context.HttpContext.Features.Set(caller);
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", caller.UserId), new Claim("jti", caller.TokenId)], context.Scheme.Name, "sub", null));
    }

    /// <summary>The library refused the token. The reason goes to the log; clients learn only whether refreshing helps.</summary>
    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        logger.LogInformation("Bearer token refused: {Reason}", context.Exception.Message);
        context.HttpContext.Features.Set(new TokenRejection(context.Exception is SecurityTokenExpiredException));
        return Task.CompletedTask;
    }

    /// <summary>Nothing in Montu challenges, but should anything, the answer is <see cref="AccessControl"/>'s 401, not a second one.</summary>
    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        return AccessControl.UnauthorizedAsync(context.HttpContext);
    }
}
