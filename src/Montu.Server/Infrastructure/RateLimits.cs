using System.Globalization;
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
                return new ValueTask(Reject(rejected.HttpContext, "api", api, retryAfter).ExecuteAsync(rejected.HttpContext));
            };
        });
    }

    /// <summary>
    /// The 429 error, after setting <c>Retry-After</c> and the IETF <c>RateLimit-Policy</c> and
    /// <c>RateLimit</c> headers (draft-ietf-httpapi-ratelimit-headers) on the response.
    /// </summary>
    public static ApiError Reject(HttpContext context, string policy, WindowLimit limit, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var headers = context.Response.Headers;
        headers.RetryAfter = seconds;
        headers["RateLimit-Policy"] = $"\"{policy}\";q={limit.PermitLimit};w={Math.Ceiling(limit.WindowSeconds)}";
        headers["RateLimit"] = $"\"{policy}\";r=0;t={seconds}";
        return new ApiError(StatusCodes.Status429TooManyRequests, $"Too many requests; retry in {seconds} second(s)");
    }
}
