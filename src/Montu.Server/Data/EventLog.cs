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
public sealed class EventLog(Db db, EventLogHead head, TimeProvider time)
{
    /// <summary>
    /// Appends the event as the last statement of the transaction and returns its sequence number.
    /// Once the transaction commits, this process's <see cref="EventLogHead"/> moves on; on
    /// PostgreSQL the commit also announces the event to every instance listening.
    /// </summary>
    public async Task<long> AppendAsync(DbTransaction transaction, NewEvent change, CancellationToken ct)
    {
        var connection = transaction.Connection!;
        if (db.Dialect.EventLogLock is { } takeLock)
        {
            await connection.ExecuteAsync(new CommandDefinition(takeLock, transaction: transaction, cancellationToken: ct));
        }

        var insert = $"""
            INSERT INTO events (type, project_id, entity_type, entity_id, payload, user_id, created_at)
            VALUES (@Type, @ProjectId, @EntityType, @EntityId, {db.Dialect.Json("Payload")}, @UserId, @CreatedAt)
            RETURNING seq, project_id, type, entity_type, entity_id
            """;
        // NOTIFY is delivered at commit, and never for a rollback. Its payload is an AnnouncedEvent.
        var sql = db.Dialect.Engine == DbEngine.Postgres
            ? $"""
              WITH appended AS ({insert})
              SELECT seq, pg_notify('{PostgresEventListener.Channel}', json_build_object(
                  'seq', seq, 'projectId', project_id, 'type', type, 'entityType', entity_type, 'entityId', entity_id)::text)
              FROM appended
              """
            : insert;
        var seq = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            change.Type,
            change.ProjectId,
            change.EntityType,
            change.EntityId,
            Payload = JsonSerializer.Serialize(change.Payload, WireJson.Default),
            change.UserId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        }, transaction, cancellationToken: ct));
        db.AfterCommit(transaction, () => head.Advance(change.ProjectId, seq));
        return seq;
    }
}
