using Dapper;
using Montu.Server.Data;

namespace Montu.Server.Features.Projects;

/// <summary>
/// Counts behind <c>GET /projects/{id}/stats</c>. Archived tasks are left out of every figure.
/// Grouping a large show's tasks takes a while, so the figures, and whether the project exists at
/// all, are kept until the project's event log moves on (<see cref="EventLogHead"/>; creating a
/// project appends its first event).
/// </summary>
public sealed class ProjectStatistics(Db db, ProjectQueries projects, EventLogHead head)
{
    private readonly VersionedCache<ProjectStats?> _computed = new(maxEntries: 10_000);

    /// <summary>The project's figures, or null when there is no such project.</summary>
    public async Task<ProjectStats?> ComputeAsync(string projectId, CancellationToken ct)
    {
        var seq = await head.CurrentAsync(projectId, ct);
        return await _computed.GetAsync(projectId, seq, () => ComputeAsync(projectId), ct);
    }

    private async Task<ProjectStats?> ComputeAsync(string projectId)
    {
        var ct = CancellationToken.None;
        await using var connection = await db.OpenAsync(ct);
        if (await projects.FindAsync(connection, projectId, ct) is not { } project)
        {
            return null;
        }

        var args = new { projectId, done = project.DoneStatuses.ToArray() };

        var byStatus = await connection.QueryAsync<(string Key, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM tasks WHERE project_id = @projectId AND status <> 'archived' GROUP BY status ORDER BY status",
            args, cancellationToken: ct));
        var byType = await connection.QueryAsync<(string Key, long Count)>(new CommandDefinition(
            "SELECT task, COUNT(*) FROM tasks WHERE project_id = @projectId AND status <> 'archived' GROUP BY task ORDER BY task",
            args, cancellationToken: ct));
        var activeArtists = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"""
            SELECT COUNT(DISTINCT artist) FROM tasks
            WHERE project_id = @projectId AND status <> 'archived' AND {db.Dialect.NotIn("status", "done")} AND artist IS NOT NULL AND artist <> ''
            """, args, cancellationToken: ct));
        var media = await connection.QuerySingleAsync<(long Count, long Bytes)>(new CommandDefinition(
            "SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM media WHERE project_id = @projectId", args, cancellationToken: ct));

        var statusCounts = byStatus.ToDictionary(r => r.Key, r => r.Count);
        var total = statusCounts.Values.Sum();
        var done = project.DoneStatuses.Sum(s => statusCounts.GetValueOrDefault(s));
        return new ProjectStats(
            projectId,
            total,
            statusCounts,
            byType.ToDictionary(r => r.Key, r => r.Count),
            media.Count,
            HumanSize(media.Bytes),
            media.Bytes,
            activeArtists,
            total == 0 ? 0 : Math.Round(100.0 * done / total, 1));
    }

    /// <summary>Sizes as v2.0 wrote them: <c>2.5TB</c>, binary multiples, one decimal at most.</summary>
    public static string HumanSize(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return $"{Math.Round(value, 1):0.#}{units[unit]}";
    }
}
