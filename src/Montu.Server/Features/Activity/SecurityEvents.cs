using System.Net;
using Montu.Server.Data;

namespace Montu.Server.Features.Activity;

/// <summary>Where a request came from, as the audit records it: the client address and its User-Agent, cut to a bounded length.</summary>
public sealed record ClientInfo(string? Ip, string? UserAgent)
{
    public const int UserAgentLength = 512;

    /// <summary>Behind a reverse proxy, configure forwarded headers so this is the client's address, not the proxy's.</summary>
    public static ClientInfo From(HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        return new ClientInfo(
            (context.Connection.RemoteIpAddress ?? IPAddress.None).ToString(),
            agent.Length == 0 ? null : agent.Length > UserAgentLength ? agent[..UserAgentLength] : agent);
    }
}

/// <summary>
/// The security events that are not a change to data (decision 0039). They belong to no project,
/// so no project channel and no changes feed carries them; only the audit reads them. None holds
/// a password or a token: accounts are named by id and their stored email, never by what was typed.
/// </summary>
public static class SecurityEvents
{
    public const string SignInFailed = "sign_in_failed";
    public const string RateLimited = "rate_limited";

    /// <summary>
    /// A refused sign-in. The account, when the email named one, is the entity; otherwise the
    /// client address is. The typed email is not kept: people type passwords into the wrong field.
    /// </summary>
    public static NewEvent FailedSignIn(string? userId, string? email, string reason, ClientInfo client) =>
        new(SignInFailed, null, userId is null ? "address" : "user", userId ?? client.Ip ?? "unknown",
            new { userId, email, reason, ip = client.Ip, userAgent = client.UserAgent }, null);
}
