using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using Montu.Server.Features.Observability;

namespace Montu.Server.Infrastructure;

public static partial class RequestMetricsMiddleware
{
    // Query parameters that carry a credential: a signed link's signature, a socket's token, a share link.
    private static readonly string[] SecretParameters = ["signature", "token", "share", "access_token"];

    /// <summary>
    /// Times every request from the outermost point, so the error envelope and everything inside
    /// it are measured; a failure that escapes anyway counts as a 500. Each request is counted for
    /// <c>/stats</c>, observed in the <c>/metrics</c> histogram under its route template, and
    /// logged as one structured line.
    /// </summary>
    public static void UseRequestMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<RequestMetrics>();
        var exposed = app.Services.GetRequiredService<MontuMetrics>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Montu.Requests");
        app.Use(async (context, next) =>
        {
            var started = time.GetTimestamp();
            var status = StatusCodes.Status500InternalServerError;
            try
            {
                await next(context);
                status = context.Response.StatusCode;
            }
            finally
            {
                var elapsed = time.GetElapsedTime(started);
                metrics.Record(status, elapsed);
                // The exception handler clears the endpoint of a request it answers (a body that cannot be read, say); it keeps it in its feature.
                var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
                var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? MontuMetrics.Unmatched;
                // A socket's request lasts as long as the socket: it would swamp the latency figures.
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    exposed.RecordRequest(route, context.Request.Method, status, elapsed);
                }

                if (logger.IsEnabled(LogLevel.Information))
                {
                    LogRequest(logger, context.TraceIdentifier, context.User.Identity?.Name, context.Request.Method, route, LoggedPath(context.Request),
                        status, Math.Round(elapsed.TotalMilliseconds, 2));
                }
            }
        });
    }

    /// <summary>The path with the values of credential-carrying query parameters replaced, so a log never holds a usable link.</summary>
    internal static string LoggedPath(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (!request.QueryString.HasValue)
        {
            return path;
        }

        var logged = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, values) in request.Query)
        {
            var secret = SecretParameters.Any(s => name.Equals(s, StringComparison.OrdinalIgnoreCase));
            foreach (var value in values)
            {
                logged.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(secret ? "[redacted]" : Uri.EscapeDataString(value ?? ""));
                separator = '&';
            }
        }

        return logged.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Method} {Route} ({Path}) answered {Status} in {DurationMs} ms; request {RequestId}, user {UserId}")]
    private static partial void LogRequest(ILogger logger, string requestId, string? userId, string method, string route, string path, int status, double durationMs);
}

/// <summary>Request figures over the recent window, as <c>GET /stats</c> reports them.</summary>
public sealed record RequestFigures(double RequestsPerMinute, double AverageResponseTimeMs, double ErrorRatePercent);

/// <summary>
/// Counts requests, errors and response time in per-second buckets over the last five minutes.
/// It runs on every request, so recording is lock-free: a ring of one small object per second,
/// replaced with a compare-and-swap when its second has passed, so no increment is ever lost to a
/// reset. An error is a response with status 500 or above: 4xx are the client's mistakes, not the
/// server's health.
/// </summary>
public sealed class RequestMetrics(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private static readonly int Slots = (int)Window.TotalSeconds;
    private readonly Bucket?[] _buckets = new Bucket?[Slots];
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public void Record(int status, TimeSpan duration)
    {
        var bucket = BucketFor(time.GetUtcNow().ToUnixTimeSeconds());
        Interlocked.Increment(ref bucket.Requests);
        Interlocked.Add(ref bucket.Ticks, duration.Ticks);
        if (status >= StatusCodes.Status500InternalServerError)
        {
            Interlocked.Increment(ref bucket.Errors);
        }
    }

    /// <summary>
    /// Figures over the last five minutes, or since start when the server is younger, but never
    /// over less than a minute: a few requests in the first seconds are not extrapolated.
    /// </summary>
    public RequestFigures Snapshot()
    {
        var now = time.GetUtcNow();
        var current = now.ToUnixTimeSeconds();
        long requests = 0, errors = 0, ticks = 0;
        for (var i = 0; i < Slots; i++)
        {
            var bucket = Volatile.Read(ref _buckets[i]);
            if (bucket is not null && bucket.Second > current - Slots && bucket.Second <= current)
            {
                requests += Interlocked.Read(ref bucket.Requests);
                errors += Interlocked.Read(ref bucket.Errors);
                ticks += Interlocked.Read(ref bucket.Ticks);
            }
        }

        var minutes = Math.Clamp((now - _startedAt).TotalMinutes, 1, Window.TotalMinutes);
        return requests == 0
            ? new RequestFigures(0, 0, 0)
            : new RequestFigures(
                Math.Round(requests / minutes, 1),
                Math.Round(TimeSpan.FromTicks(ticks / requests).TotalMilliseconds, 1),
                Math.Round(100.0 * errors / requests, 2));
    }

    private Bucket BucketFor(long second)
    {
        ref var slot = ref _buckets[second % Slots];
        while (true)
        {
            var bucket = Volatile.Read(ref slot);
            if (bucket is not null && bucket.Second == second)
            {
                return bucket;
            }

            var fresh = new Bucket(second);
            if (Interlocked.CompareExchange(ref slot, fresh, bucket) == bucket)
            {
                return fresh;
            }
        }
    }

    private sealed class Bucket(long second)
    {
        public readonly long Second = second;
        public long Requests;
        public long Errors;
        public long Ticks;
    }
}
