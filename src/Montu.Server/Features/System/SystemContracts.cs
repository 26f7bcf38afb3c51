using System.ComponentModel;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Monitoring;

/// <summary><c>GET /health</c>, the v2.0 shape.</summary>
public sealed record HealthReport(
    [property: Description("healthy or unhealthy")] string Status,
    DateTime Timestamp,
    DatabaseHealth Database,
    string Version,
    long UptimeSeconds)
{
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
}

/// <summary>The outcome of one database round trip.</summary>
public sealed record DatabaseHealth(
    [property: Description("connected or disconnected")] string Status,
    [property: Description("sqlite or postgresql")] string Type,
    double ResponseTimeMs,
    [property: Description("How this server hears of changes other instances commit: local (SQLite, one server process), " +
        "listening (PostgreSQL LISTEN), or reconnecting (caches read the database until it is back)")] string EventListener)
{
    public const string Connected = "connected";
    public const string Disconnected = "disconnected";
}

/// <summary><c>GET /stats</c>, the v2.0 shape.</summary>
public sealed record SystemStats(DatabaseStats Database, ProcessStats System, RequestFigures Api);

public sealed record DatabaseStats(
    [property: Description("Sum of the rows of every collection")] long TotalDocuments,
    StatsCollections Collections);

/// <summary>Rows per table, archived ones included.</summary>
public sealed record StatsCollections(long Projects, long Tasks, long MediaRecords, long Events);

/// <summary>This server process; MB and GB are binary (2^20 and 2^30 bytes).</summary>
public sealed record ProcessStats(
    [property: Description("Working set of the process")] double MemoryUsageMb,
    [property: Description("CPU time of the process over the last minute, as a share of all cores")] double CpuUsagePercent,
    [property: Description("Bytes of the files under MONTU_DATA_DIR")] double DiskUsageGb);
