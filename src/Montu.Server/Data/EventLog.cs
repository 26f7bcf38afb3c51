using System.Data.Common;
using System.Text.Json;
using Dapper;
using Montu.Server.Features.Notifications;
using Montu.Server.Features.TaskWorkflow;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Data;

/// <summary>One change to record: what happened, to which entity, in which project, by whom.</summary>
public sealed record NewEvent(string Type, string? ProjectId, string EntityType, string EntityId, object Payload, string? UserId)
{
    /// <summary>What the change means for the people concerned: each becomes a notification in the change's transaction.</summary>
    public IReadOnlyList<Notice> Notices { get; init; } = [];

    /// <summary>The task statuses the change moves: tasks waiting on them may be unblocked, which their artists are told (<see cref="TaskBlocking"/>).</summary>
    public IReadOnlyList<StatusMove> StatusMoves { get; init; } = [];
}

/// <summary>
/// The outbox: every change appends exactly one row here in the transaction
/// that makes the change. Real-time fan-out, audit and notifications read from it.
/// </summary>
public sealed class EventLog(Db db, EventLogHead head, NotificationWriter notifications, TimeProvider time)
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
    /// <see cref="AppendAsync(DbTransaction, NewEvent, CancellationToken)"/>. The notifications its
    /// <see cref="NewEvent.Notices"/> come to are written with it, each with its
    /// <c>notification_created</c> event after the change's own.
    /// </summary>
    public async Task<long> AppendAsync(DbTransaction transaction, SqlStatement? write, NewEvent change, CancellationToken ct)
    {
        // Read before the event-log lock is taken, so writers wait on no extra trip for it.
        var sent = await notifications.PrepareAsync(transaction, change, ct);
        var writes = sent is null ? [write] : new[] { write, sent.Insert };
        return (await AppendAllAsync(transaction, writes, [change, .. sent?.Events ?? []], ct))[0];
    }

    /// <summary>Runs the writes in order, then appends the events in order; returns their sequence numbers.</summary>
    public async Task<IReadOnlyList<long>> AppendAllAsync(
        DbTransaction transaction, IReadOnlyList<SqlStatement?> writes, IReadOnlyList<NewEvent> changes, CancellationToken ct)
    {
        // Named apart from any write's parameters, since all travel in one command on PostgreSQL.
        var args = new DynamicParameters();
        var rows = new List<string>();
        var now = time.GetUtcNow().UtcDateTime;
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var name = $"Event{i}";
            args.Add(name + "Type", change.Type);
            args.Add(name + "ProjectId", change.ProjectId);
            args.Add(name + "EntityType", change.EntityType);
            args.Add(name + "EntityId", change.EntityId);
            args.Add(name + "Payload", JsonSerializer.Serialize(change.Payload, WireJson.Default));
            args.Add(name + "UserId", change.UserId);
            args.Add(name + "CreatedAt", now);
            rows.Add($"(@{name}Type, @{name}ProjectId, @{name}EntityType, @{name}EntityId, {db.Dialect.Json(name + "Payload")}, @{name}UserId, @{name}CreatedAt)");
        }

        var insert = $"""
            INSERT INTO events (type, project_id, entity_type, entity_id, payload, user_id, created_at)
            VALUES {string.Join(",\n", rows)}
            RETURNING seq, project_id, type, entity_type, entity_id
            """;
        var connection = transaction.Connection!;
        List<long> seqs;
        if (db.Dialect.Engine == DbEngine.Postgres)
        {
            // On PostgreSQL everything goes in one round trip: a single-task PATCH made five trips,
            // and every trip costs both processes CPU on a small machine. The lock comes after the
            // writes and travels with the insert: it is held until commit, and every trip made while
            // holding it is time all other writers wait.
            var statements = writes.OfType<SqlStatement>().ToList();
            foreach (var statement in statements)
            {
                args.AddDynamicParams(statement.Parameters);
            }

            var sql = string.Join(";\n", [.. statements.Select(s => s.Sql), db.Dialect.EventLogLock, Announced(insert)]);
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, args, transaction, cancellationToken: ct));
            await results.ReadAsync();
            seqs = [.. await results.ReadAsync<long>()];
        }
        else
        {
            // In-process: a trip costs nothing to save.
            foreach (var statement in writes.OfType<SqlStatement>())
            {
                await connection.ExecuteAsync(new CommandDefinition(statement.Sql, statement.Parameters, transaction, cancellationToken: ct));
            }

            seqs = [.. await connection.QueryAsync<long>(new CommandDefinition(insert, args, transaction, cancellationToken: ct))];
        }

        seqs.Sort();
        db.AfterCommit(transaction, () =>
        {
            for (var i = 0; i < changes.Count; i++)
            {
                head.Advance(changes[i].ProjectId, seqs[i]);
            }
        });
        return seqs;
    }

    /// <summary>
    /// The insert, announced with NOTIFY: delivered at commit, never for a rollback; the payload is an
    /// <see cref="AnnouncedEvent"/>. Rows of one insert take their sequence numbers in the order listed.
    /// </summary>
    private static string Announced(string insert) => $"""
        WITH appended AS ({insert})
        SELECT seq, pg_notify('{PostgresEventListener.Channel}', json_build_object(
            'seq', seq, 'projectId', project_id, 'type', type, 'entityType', entity_type, 'entityId', entity_id)::text)
        FROM appended ORDER BY seq
        """;
}
