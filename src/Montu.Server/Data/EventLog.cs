using System.Data.Common;
using System.Text.Json;
using Dapper;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Data;

/// <summary>One change to record: what happened, to which entity, in which project, by whom.</summary>
public sealed record NewEvent(string Type, string? ProjectId, string EntityType, string EntityId, object Payload, string? UserId);

/// <summary>
/// The outbox (DESIGN.md §5): every change appends exactly one row here in the transaction
/// that makes the change. Real-time fan-out, audit and notifications read from it.
/// </summary>
public sealed class EventLog(Db db, TimeProvider time)
{
    /// <summary>
    /// The sequence number of the latest event of <paramref name="projectId"/> (of any project when
    /// null). Every change appends an event when it commits, in commit order, so while this number
    /// stands still nothing the project holds has changed: caches of derived figures use it as
    /// their version, and stay right across instances.
    /// </summary>
    public static Task<long> LatestSeqAsync(DbConnection connection, string? projectId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            projectId is null ? "SELECT COALESCE(MAX(seq), 0) FROM events" : "SELECT COALESCE(MAX(seq), 0) FROM events WHERE project_id = @projectId",
            new { projectId }, cancellationToken: ct));

    /// <summary>Appends the event as the last statement of the transaction and returns its sequence number.</summary>
    public async Task<long> AppendAsync(DbTransaction transaction, NewEvent change, CancellationToken ct)
    {
        var connection = transaction.Connection!;
        if (db.Dialect.EventLogLock is { } takeLock)
        {
            await connection.ExecuteAsync(new CommandDefinition(takeLock, transaction: transaction, cancellationToken: ct));
        }

        var sql = $"""
            INSERT INTO events (type, project_id, entity_type, entity_id, payload, user_id, created_at)
            VALUES (@Type, @ProjectId, @EntityType, @EntityId, {db.Dialect.Json("Payload")}, @UserId, @CreatedAt)
            RETURNING seq
            """;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            change.Type,
            change.ProjectId,
            change.EntityType,
            change.EntityId,
            Payload = JsonSerializer.Serialize(change.Payload, WireJson.Default),
            change.UserId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        }, transaction, cancellationToken: ct));
    }
}
