using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Infrastructure;
// Not "...Features.System": that namespace would shadow the framework's System in every feature.
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Monitoring;

public static class SystemApi
{
    private const string HealthSummary =
        "Health check: 200 when the database answers, else 503 with this same body (not the error envelope)";

    private const string HealthDescription =
        "Runs a real database round trip (`SELECT 1`; on SQLite a read of the schema) with a 2-second limit. A load balancer or orchestrator reads this " +
        "body on both outcomes, so an unhealthy server answers 503 with `status: unhealthy` and " +
        "`database.status: disconnected` instead of the error envelope.";

    public static IServiceCollection AddSystemMonitoring(this IServiceCollection services) => services
        .AddSingleton<RequestMetrics>()
        .AddSingleton<DatabaseProbe>()
        .AddSingleton<ProcessUsage>()
        .AddSingleton<DataDirectoryUsage>()
        .AddSingleton<SystemQueries>();

    /// <summary>Maps <c>/health</c> at the root, where load balancers expect it, and the rest under the API group.</summary>
    public static void MapSystemApi(this RouteGroupBuilder api, IEndpointRouteBuilder root)
    {
        root.MapGet("/health", GetHealth).WithName("GetHealth").WithTags("System").AllowAnonymous()
            .WithSummary(HealthSummary).WithDescription(HealthDescription)
            .Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable)
            .AddEndpointFilter<LegacyShapeFilter>();
        var group = api.MapGroup("").WithTags("System");
        group.MapGet("/health", GetHealth).WithName("GetApiHealth").AllowAnonymous()
            .WithSummary(HealthSummary).WithDescription(HealthDescription)
            .Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/stats", GetStats).WithName("GetSystemStats").RequireServerAdmin()
            .WithSummary("Row counts, process figures and request figures of the last five minutes")
            .WithDescription("`api.errorRatePercent` counts responses with status 500 or above; 4xx are client mistakes.")
            .ProducesErrors(401, 403);
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> GetHealth(
        DatabaseProbe probe, ProcessUsage process, TimeProvider time, CancellationToken ct)
    {
        var database = await probe.CheckAsync(ct);
        var healthy = database.Status == DatabaseHealth.Connected;
        var report = new HealthReport(
            healthy ? HealthReport.Healthy : HealthReport.Unhealthy,
            time.GetUtcNow().UtcDateTime,
            database,
            BuildInfo.Version,
            process.UptimeSeconds);
        return healthy ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<Ok<SystemStats>> GetStats(
        SystemQueries queries, ProcessUsage process, DataDirectoryUsage disk, RequestMetrics metrics, CancellationToken ct) =>
        TypedResults.Ok(new SystemStats(
            await queries.CountAsync(ct),
            new ProcessStats(ProcessUsage.MemoryUsageMb, process.CpuUsagePercent(), disk.Gigabytes()),
            metrics.Snapshot()));
}
