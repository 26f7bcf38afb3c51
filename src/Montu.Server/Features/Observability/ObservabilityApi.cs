using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Data;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;
using Npgsql;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Montu.Server.Features.Observability;

/// <summary>
/// <c>GET /metrics</c> for Prometheus, OTLP traces when an endpoint is configured, and the log
/// format. The per-request log line and the request histogram are written by
/// <see cref="RequestMetricsMiddleware"/>, which already times every request.
/// </summary>
public static class ObservabilityApi
{
    public const string TokenSetting = "METRICS_TOKEN";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string LogFormatSetting = "LOG_FORMAT";

    private const string Summary = "Prometheus metrics (text exposition); from this machine, or with the metrics token";

    private const string Description =
        "Answers from a loopback address always, and from elsewhere only with `Authorization: Bearer <METRICS_TOKEN>` when the server's " +
        "`METRICS_TOKEN` is set. Anyone else gets the 404 of a route that does not exist. Series: `montu_http_request_duration_seconds` " +
        "(route template, method, status class), `montu_db_command_duration_seconds`, `montu_websockets_open`, `montu_event_log_lag_events`, " +
        "`montu_job_queue_depth`, `montu_job_duration_seconds`, `montu_database_up`, `montu_data_volume_free_bytes`, and process CPU, memory and GC.";

    public static void AddMontuObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MontuMetrics>();
        builder.Services.AddSingleton<DatabaseCommandTiming>();
        if (string.Equals(builder.Configuration[LogFormatSetting], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }

        // The per-request line replaces the framework's, whose "Request starting" names the whole URL,
        // query and all: a signed link's signature or a share link's token would be logged.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        // Without an endpoint nothing is registered, so requests pay nothing for tracing.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]))
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("montu", serviceVersion: BuildInfo.Version))
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => context.Request.Path != "/metrics")
                    .AddNpgsql()
                    .AddSource(Db.SqliteActivities.Name)
                    .AddOtlpExporter());
        }
    }

    public static void MapMetrics(this WebApplication app)
    {
        // Starts timing database commands from the first request on.
        app.Services.GetRequiredService<DatabaseCommandTiming>();
        app.MapGet("/metrics", GetMetricsAsync).WithName("GetMetrics").WithTags("System").AllowAnonymous()
            .WithSummary(Summary).WithDescription(Description)
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesErrors(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<EmptyHttpResult, NotFound>> GetMetricsAsync(HttpContext context, MontuMetrics metrics, IConfiguration configuration)
    {
        if (!MayScrape(context, configuration[TokenSetting]))
        {
            // Empty, so the status-code page answers exactly as for a path nothing is mapped at.
            return TypedResults.NotFound();
        }

        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        return TypedResults.Empty;
    }

    private static bool MayScrape(HttpContext context, string? token)
    {
        if (context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        {
            return true;
        }

        const string Scheme = "Bearer ";
        var presented = context.Request.Headers.Authorization.ToString();
        return !string.IsNullOrEmpty(token) && presented.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented[Scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
