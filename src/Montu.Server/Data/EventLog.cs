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
        var insert = $"""
            INSERT INTO events (type, project_id, entity_type, entity_id, payload, user_id, created_at)
            VALUES (@Type, @ProjectId, @EntityType, @EntityId, {db.Dialect.Json("Payload")}, @UserId, @CreatedAt)
            RETURNING seq, project_id, type, entity_type, entity_id
            """;
        var postgres = db.Dialect.Engine == DbEngine.Postgres;
        var command = new CommandDefinition(postgres ? $"{db.Dialect.EventLogLock};\n{Announced(insert)}" : insert, new
        {
            change.Type,
            change.ProjectId,
            change.EntityType,
            change.EntityId,
            Payload = JsonSerializer.Serialize(change.Payload, WireJson.Default),
            change.UserId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        }, transaction, cancellationToken: ct);
        long seq;
        if (postgres)
        {
            // Lock and insert go in one round trip: the lock is held until commit, and every trip
            // made while holding it is time all other writers wait.
            await using var results = await transaction.Connection!.QueryMultipleAsync(command);
            await results.ReadAsync();
            seq = await results.ReadSingleAsync<long>();
        }
        else
        {
            seq = await transaction.Connection!.ExecuteScalarAsync<long>(command);
        }

        db.AfterCommit(transaction, () => head.Advance(change.ProjectId, seq));
        return seq;
    }

    /// <summary>The insert, announced with NOTIFY: delivered at commit, never for a rollback; the payload is an <see cref="AnnouncedEvent"/>.</summary>
    private static string Announced(string insert) => $"""
        WITH appended AS ({insert})
        SELECT seq, pg_notify('{PostgresEventListener.Channel}', json_build_object(
            'seq', seq, 'projectId', project_id, 'type', type, 'entityType', entity_type, 'entityId', entity_id)::text)
        FROM appended
        """;
}
