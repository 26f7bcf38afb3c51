using Dapper;
using Montu.Server.Data;

namespace Montu.Server.Features.Monitoring;

/// <summary>The SQL behind <c>GET /stats</c>.</summary>
public sealed class SystemQueries(Db db)
{
    public async Task<DatabaseStats> CountAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var (projects, tasks, media, events) = await connection.QuerySingleAsync<(long, long, long, long)>(new CommandDefinition("""
            SELECT (SELECT COUNT(*) FROM projects), (SELECT COUNT(*) FROM tasks),
                   (SELECT COUNT(*) FROM media), (SELECT COUNT(*) FROM events)
            """, cancellationToken: ct));
        return new DatabaseStats(projects + tasks + media + events, new StatsCollections(projects, tasks, media, events));
    }
}
