using System.Data.Common;
using System.Text.Json;
using Dapper;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Data;

/// <summary>One change to record: what happened, to which entity, in which project, by whom.</summary>
public sealed record NewEvent(string Type, string? ProjectId, string EntityType, string EntityId, object Payload, string? UserId);

/// <summary>
/// The outbox: every change appends exactly one row here in the transaction
/// that makes the change. Real-time fan-out, audit and notifications read from it.
/// </summary>
public sealed class EventLog(Db db, EventLogHead head, TimeProvider time)
{
    /// <summary>
    /// Appends the event as the last statement of the transaction and returns its sequence number.
    /// Once the transaction commits, this process's <see cref="EventLogHead"/> moves on; on
    /// PostgreSQL the commit also announces the event to every instance listening.
    /// </summary>
    public Task<long> AppendAsync(DbTransaction transaction, NewEvent change, CancellationToken ct) =>
        AppendAsync(transaction, null, change, ct);

    /// <summary>
    /// Runs <paramref name="write"/>, the change itself, then appends its event as with
    /// <see cref="AppendAsync(DbTransaction, NewEvent, CancellationToken)"/>. On PostgreSQL both go
    /// in one round trip: a single-task PATCH made five trips, and every trip costs both processes
    /// CPU on a small machine.
    /// </summary>
    public async Task<long> AppendAsync(DbTransaction transaction, SqlStatement? write, NewEvent change, CancellationToken ct)
    {
        // Named apart from any write's parameters, since both travel in one command on PostgreSQL.
        var insert = $"""
            INSERT INTO events (type, project_id, entity_type, entity_id, payload, user_id, created_at)
            VALUES (@EventType, @EventProjectId, @EventEntityType, @EventEntityId, {db.Dialect.Json("EventPayload")}, @EventUserId, @EventCreatedAt)
            RETURNING seq, project_id, type, entity_type, entity_id
            """;
        var args = new DynamicParameters(new
        {
            EventType = change.Type,
            EventProjectId = change.ProjectId,
            EventEntityType = change.EntityType,
            EventEntityId = change.EntityId,
            EventPayload = JsonSerializer.Serialize(change.Payload, WireJson.Default),
            EventUserId = change.UserId,
            EventCreatedAt = time.GetUtcNow().UtcDateTime,
        });
        long seq;
        if (db.Dialect.Engine == DbEngine.Postgres)
        {
            // The lock comes after the write and travels with the insert: it is held until commit,
            // and every trip made while holding it is time all other writers wait.
            if (write is not null)
            {
                args.AddDynamicParams(write.Parameters);
            }

            var sql = $"{(write is null ? "" : write.Sql + ";\n")}{db.Dialect.EventLogLock};\n{Announced(insert)}";
            await using var results = await transaction.Connection!.QueryMultipleAsync(new CommandDefinition(sql, args, transaction, cancellationToken: ct));
            await results.ReadAsync();
            seq = await results.ReadSingleAsync<long>();
        }
        else
        {
            // In-process: a trip costs nothing to save.
            if (write is not null)
            {
                await transaction.Connection!.ExecuteAsync(new CommandDefinition(write.Sql, write.Parameters, transaction, cancellationToken: ct));
            }

            seq = await transaction.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(insert, args, transaction, cancellationToken: ct));
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
