using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;

namespace Montu.Server.Features.Analytics;

/// <summary>
/// The SQL behind project analytics: counts grouped in the database, and the project's task status
/// changes read from the event log in one pass over an index (decision 0040).
/// </summary>
public sealed class AnalyticsQueries(Db db)
{
    /// <summary>Tasks created before <c>end</c>, by their status now and task type (archived ones too).</summary>
    public async Task<IReadOnlyList<StatusTypeCount>> CountsAsync(DbConnection connection, string projectId, DateTime end, CancellationToken ct) =>
        [.. await connection.QueryAsync<StatusTypeCount>(new CommandDefinition("""
            SELECT status, task AS type, COUNT(*) AS count FROM tasks
            WHERE project_id = @projectId AND created_at < @end GROUP BY status, task
            """, new { projectId, end }, cancellationToken: ct))];

    /// <summary>Tasks created in [start, end), by UTC day of creation and their status now.</summary>
    public async Task<IReadOnlyList<DayStatusCount>> CreationsAsync(DbConnection connection, string projectId, DateTime start, DateTime end, CancellationToken ct)
    {
        var day = db.Dialect.Engine == DbEngine.Postgres ? "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')" : "substr(created_at, 1, 10)";
        return [.. await connection.QueryAsync<DayStatusCount>(new CommandDefinition($"""
            SELECT {day} AS day, status, COUNT(*) AS count FROM tasks
            WHERE project_id = @projectId AND created_at >= @start AND created_at < @end GROUP BY {day}, status
            """, new { projectId, start, end }, cancellationToken: ct))];
    }

    /// <summary>Tasks created before <c>end</c> with an artist, by artist and status now.</summary>
    public async Task<IReadOnlyList<ArtistStatusCount>> ArtistsAsync(DbConnection connection, string projectId, DateTime end, CancellationToken ct) =>
        [.. await connection.QueryAsync<ArtistStatusCount>(new CommandDefinition("""
            SELECT artist, status, COUNT(*) AS count FROM tasks
            WHERE project_id = @projectId AND created_at < @end AND artist IS NOT NULL AND artist <> '' GROUP BY artist, status
            """, new { projectId, end }, cancellationToken: ct))];

    /// <summary>
    /// Every status change of the project's tasks the event log holds, oldest first, with the task's
    /// fields now. Single changes name the task in the event; a bulk change lists each task's changes
    /// under its id.
    /// </summary>
    public async Task<IReadOnlyList<StatusChange>> StatusChangesAsync(DbConnection connection, string projectId, CancellationToken ct)
    {
        var changes = db.Dialect.Engine == DbEngine.Postgres
            // A bulk event's payload is read once into the CTE: looked up for each of its tasks, the
            // stored (TOASTed) payload was decompressed again every time, 8x slower on 500-task events.
            ? $"""
                WITH bulk AS MATERIALIZED (
                    SELECT seq, created_at, payload->'changes' AS changes, payload->'previous' AS previous FROM events
                    WHERE project_id = @projectId AND type = '{TaskEvents.BulkUpdated}')
                SELECT e.seq, e.created_at, e.entity_id AS task_id, e.payload->'previous'->>'status' AS from_status, e.payload->'changes'->>'status' AS to_status
                FROM events e
                WHERE e.project_id = @projectId AND e.type IN ('{TaskEvents.Updated}', '{TaskEvents.Archived}', '{TaskEvents.Restored}')
                  AND e.payload->'changes'->>'status' IS NOT NULL
                UNION ALL
                SELECT b.seq, b.created_at, c.key, b.previous->c.key->>'status', c.value->>'status'
                FROM bulk b CROSS JOIN LATERAL jsonb_each(b.changes) c
                WHERE c.value->>'status' IS NOT NULL
                """
            : $"""
                SELECT e.seq, e.created_at, e.entity_id AS task_id, json_extract(e.payload, '$.previous.status') AS from_status,
                       json_extract(e.payload, '$.changes.status') AS to_status
                FROM events e
                WHERE e.project_id = @projectId AND e.type IN ('{TaskEvents.Updated}', '{TaskEvents.Archived}', '{TaskEvents.Restored}')
                  AND json_extract(e.payload, '$.changes.status') IS NOT NULL
                UNION ALL
                SELECT e.seq, e.created_at, c.key, json_extract(e.payload, '$.previous."' || c.key || '".status'), json_extract(c.value, '$.status')
                FROM events e, json_each(e.payload, '$.changes') c
                WHERE e.project_id = @projectId AND e.type = '{TaskEvents.BulkUpdated}' AND json_extract(c.value, '$.status') IS NOT NULL
                """;
        return [.. await connection.QueryAsync<StatusChange>(new CommandDefinition($"""
            SELECT s.created_at AS changed_at, s.task_id, s.from_status, s.to_status,
                   t.task AS type, t.artist, t.created_at AS task_created_at, t.deadline, t.status
            FROM ({changes}) s JOIN tasks t ON t.id = s.task_id
            ORDER BY s.seq
            """, new { projectId }, cancellationToken: ct))];
    }

    /// <summary>Hours logged on the project on each day of the range, by user and day, in hundredths.</summary>
    public async Task<IReadOnlyList<DayLog>> DayLogsAsync(DbConnection connection, string projectId, string first, string last, CancellationToken ct) =>
        [.. await connection.QueryAsync<DayLog>(new CommandDefinition("""
            SELECT user_id, date, SUM(hundredths) AS hundredths FROM time_logs
            WHERE project_id = @projectId AND date >= @first AND date <= @last GROUP BY user_id, date
            """, new { projectId, first, last }, cancellationToken: ct))];

    /// <summary>The users an artist handle may name: the project's members and whoever logged time on it in the range.</summary>
    public async Task<IReadOnlyList<Person>> PeopleAsync(DbConnection connection, string projectId, string first, string last, CancellationToken ct) =>
        [.. await connection.QueryAsync<Person>(new CommandDefinition("""
            SELECT id, email FROM users
            WHERE id IN (SELECT user_id FROM project_members WHERE project_id = @projectId)
               OR id IN (SELECT user_id FROM time_logs WHERE project_id = @projectId AND date >= @first AND date <= @last)
            ORDER BY id
            """, new { projectId, first, last }, cancellationToken: ct))];

    /// <summary>
    /// When the event log's history begins: the time of the oldest event kept once pruning removed
    /// some, otherwise the beginning of time. Tasks created before it may have lost status changes.
    /// </summary>
    public async Task<DateTime> HistoryStartAsync(DbConnection connection, CancellationToken ct)
    {
        var pruned = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT pruned_through FROM event_retention", cancellationToken: ct));
        if (pruned == 0)
        {
            return DateTime.MinValue;
        }

        var oldest = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT created_at FROM events WHERE seq > @pruned ORDER BY seq LIMIT 1", new { pruned }, cancellationToken: ct));
        return oldest is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : DateTime.MaxValue;
    }
}

public sealed class StatusTypeCount
{
    public string Status { get; init; } = "";

    public string Type { get; init; } = "";

    public long Count { get; init; }
}

public sealed class DayStatusCount
{
    public string Day { get; init; } = "";

    public string Status { get; init; } = "";

    public long Count { get; init; }
}

public sealed class ArtistStatusCount
{
    public string Artist { get; init; } = "";

    public string Status { get; init; } = "";

    public long Count { get; init; }
}

public sealed class DayLog
{
    public string UserId { get; init; } = "";

    public string Date { get; init; } = "";

    public long Hundredths { get; init; }
}

public sealed class Person
{
    public string Id { get; init; } = "";

    public string Email { get; init; } = "";
}

/// <summary>One task's status change, with the task's fields as they are now.</summary>
public sealed class StatusChange
{
    public DateTime ChangedAt { get; init; }

    public string TaskId { get; init; } = "";

    public string? FromStatus { get; init; }

    public string ToStatus { get; init; } = "";

    public string Type { get; init; } = "";

    public string? Artist { get; init; }

    public DateTime TaskCreatedAt { get; init; }

    public DateTime? Deadline { get; init; }

    public string Status { get; init; } = "";
}
