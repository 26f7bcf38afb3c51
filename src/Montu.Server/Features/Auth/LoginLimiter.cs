using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Auth;

/// <summary>
/// Limits sign-in attempts per client IP and per email, whatever their outcome, so guessing
/// passwords is slow both for one account from many places and for many accounts from one
/// place. Behind a reverse proxy, configure forwarded headers so the client IP is the real one.
/// </summary>
public sealed class LoginLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly WindowLimit _limit = options.Value.Login;
    private readonly PartitionedRateLimiter<string> _byIp = Create(options.Value.Login);
    private readonly PartitionedRateLimiter<string> _byEmail = Create(options.Value.Login);

    /// <summary>Null when the attempt may go ahead; otherwise the 429 to answer with.</summary>
    public ApiError? TryAcquire(HttpContext context, string? email)
    {
        if (_limit.PermitLimit <= 0)
        {
            return null;
        }

        using var ip = _byIp.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (!ip.IsAcquired)
        {
            return Rejected(context, ip, "login-ip");
        }

        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        // Bounded: the key is whatever the client typed, and each distinct key holds a limiter for a while.
        var key = UserRules.EmailKey(email);
        using var account = _byEmail.AttemptAcquire(key.Length > 320 ? key[..320] : key);
        return account.IsAcquired ? null : Rejected(context, account, "login-email");
    }

    public void Dispose()
    {
        _byIp.Dispose();
        _byEmail.Dispose();
    }

    private ApiError Rejected(HttpContext context, RateLimitLease lease, string policy)
    {
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        return RateLimits.Reject(context, policy, _limit, retryAfter);
    }

    private static PartitionedRateLimiter<string> Create(WindowLimit limit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => limit.ToLimiterOptions()), StringComparer.Ordinal);
}
