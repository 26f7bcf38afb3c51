using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure;

/// <summary>Configuration section <c>RateLimits</c>. A permit limit of 0 turns that limit off.</summary>
public sealed class RateLimitOptions
{
    /// <summary>
    /// Failed sign-ins per client IP: high enough for a studio behind one address, low enough to
    /// stop one machine guessing. Successful sign-ins are not counted.
    /// </summary>
    public WindowLimit Login { get; set; } = new() { PermitLimit = 100, WindowSeconds = 60 };

    /// <summary>Failed sign-ins per account before each further attempt waits, and the longest wait.</summary>
    public AccountLimit LoginAccount { get; set; } = new();

    /// <summary>
    /// Requests per signed-in user. Generous: a pipeline script publishing a sequence is one user.
    /// Load tests that reuse one token should raise or disable it.
    /// </summary>
    public WindowLimit Api { get; set; } = new() { PermitLimit = 10_000, WindowSeconds = 60 };
}

public sealed class WindowLimit
{
    public int PermitLimit { get; set; }

    public double WindowSeconds { get; set; }

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);

    public FixedWindowRateLimiterOptions ToLimiterOptions() => new()
    {
        PermitLimit = PermitLimit,
        Window = Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>
/// After <see cref="FreeFailures"/> failed sign-ins in a row, an account's next attempt waits 1 s,
/// then 2, 4, 8... up to <see cref="MaxDelaySeconds"/>; a successful sign-in starts it over.
/// </summary>
public sealed class AccountLimit
{
    public int FreeFailures { get; set; } = 5;

    public int MaxDelaySeconds { get; set; } = 900;
}

/// <summary>The per-user API limit (the framework's rate limiter) and the 429 answer every limit gives.</summary>
public static class RateLimits
{
    public static void AddMontuRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RateLimitOptions>(configuration.GetSection("RateLimits"));
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var api = limits.Value.Api;
            // Partitioned by the authenticated user, or by the share link presented (decided after this, in
            // AccessControl); anonymous requests only reach public routes or get 401.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                api.PermitLimit > 0 && (ShareLinks.Presented(context) is { } share ? $"share:{share}" : context.Features.Get<Caller>()?.UserId) is { } key
                    ? RateLimitPartition.GetFixedWindowLimiter(key, _ => api.ToLimiterOptions())
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (rejected, _) =>
            {
                rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
                var context = rejected.HttpContext;
                var partition = ShareLinks.Presented(context) is { } share ? $"share:{Fingerprint(share)}" : context.Features.Get<Caller>()?.UserId ?? "anonymous";
                return new ValueTask(Reject(context, "api", api, retryAfter, partition).ExecuteAsync(context));
            };
        });
    }

    /// <summary>
    /// The 429 error, after setting <c>Retry-After</c> and the IETF <c>RateLimit-Policy</c> and
    /// <c>RateLimit</c> headers (draft-ietf-httpapi-ratelimit-headers) on the response. The
    /// <see cref="IRateLimitRecorder"/> is told of it before the answer leaves, so the audit holds
    /// the refusal once the client sees it. <paramref name="partition"/> is what the limit counts
    /// by: a user id, a client address, the email typed, a share link's fingerprint.
    /// </summary>
    public static ApiError Reject(HttpContext context, string policy, WindowLimit limit, TimeSpan retryAfter, string partition)
    {
        if (context.RequestServices.GetService<IRateLimitRecorder>() is { } recorder)
        {
            context.Response.OnStarting(() => recorder.RecordAsync(context, policy, partition));
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var headers = context.Response.Headers;
        headers.RetryAfter = seconds;
        headers["RateLimit-Policy"] = $"\"{policy}\";q={limit.PermitLimit};w={Math.Ceiling(limit.WindowSeconds)}";
        headers["RateLimit"] = $"\"{policy}\";r=0;t={seconds}";
        return new ApiError(StatusCodes.Status429TooManyRequests, $"Too many requests; retry in {seconds} second(s)");
    }

    /// <summary>Names a share link without its token: the first 64 bits of the token's SHA-256.</summary>
    private static string Fingerprint(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16];
}

/// <summary>Told of each rate-limit refusal before its answer is sent (the audit, decision 0039).</summary>
public interface IRateLimitRecorder
{
    Task RecordAsync(HttpContext context, string policy, string partition);
}
