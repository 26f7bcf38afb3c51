using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;

namespace Montu.Server.Features.Realtime;

/// <summary>Reads of the event log by sequence: the live tail, a socket's replay, the changes feed.</summary>
public sealed class EventQueries(Db db)
{
    private const string Columns = "seq, type, project_id, entity_type, entity_id, payload, user_id, created_at";

    /// <summary>The newest sequence committed, 0 for an empty log.</summary>
    public async Task<long> LatestAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(seq), 0) FROM events", cancellationToken: ct));
    }

    /// <summary>
    /// The newest sequence the retention has removed: a client that last saw an older one has
    /// missed events for good. 0 while nothing was ever pruned.
    /// </summary>
    public async Task<long> PrunedThroughAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT pruned_through FROM event_retention", cancellationToken: ct));
    }

    /// <summary>Events after <paramref name="after"/>, up to <paramref name="through"/> when given, of one project when given, oldest first.</summary>
    public async Task<IReadOnlyList<EventRow>> AfterAsync(long after, long? through, string? projectId, int limit, CancellationToken ct)
    {
        var sql = $"""
            SELECT {Columns} FROM events
            WHERE seq > @after {(through is null ? "" : "AND seq <= @through")} {(projectId is null ? "" : "AND project_id = @projectId")}
            ORDER BY seq LIMIT @limit
            """;
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(sql, new { after, through, projectId, limit }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// The changes feed's page: events of the readable projects (of one when given) after
    /// <paramref name="after"/>. Events of no project (sign-ins, accounts) are not a show's data
    /// and stay out, even for server admins.
    /// </summary>
    public async Task<IReadOnlyList<EventRow>> FeedAsync(ReadableProjects readable, string? projectId, long after, int limit, CancellationToken ct)
    {
        var args = new DynamicParameters(new { after, projectId, limit });
        var sql = $"""
            SELECT {Columns} FROM events
            WHERE seq > @after AND project_id IS NOT NULL AND {readable.SqlCondition("project_id", args, db.Dialect)} {(projectId is null ? "" : "AND project_id = @projectId")}
            ORDER BY seq LIMIT @limit
            """;
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(sql, args, cancellationToken: ct));
        return rows.AsList();
    }
}
