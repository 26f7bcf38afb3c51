using System.Collections.Concurrent;
using Dapper;

namespace Montu.Server.Data;

/// <summary>
/// The newest event sequence number of each project, and of the whole log, as this process
/// knows it: the version that caches of derived figures are kept at (docs/decisions/0009).
/// It moves when a change commits in this process and, on PostgreSQL, when another instance's
/// commit is announced (<see cref="PostgresEventListener"/>). A head not known yet is read from
/// the database once. While announcements cannot be trusted (the listener is not connected),
/// every read goes to the database, so a cache is never served at a version it cannot vouch for.
/// </summary>
public sealed class EventLogHead(Db db)
{
    private const string WholeLog = "";
    private readonly ConcurrentDictionary<string, long> _heads = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    // SQLite has no other writer to hear from: one server process owns the file.
    private bool _trusted = db.Dialect.Engine == DbEngine.Sqlite;
    private long _generation;
    private TaskCompletionSource _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether every commit reaches this process now, so a known head is current.</summary>
    public bool HearsEveryChange => Volatile.Read(ref _trusted);

    /// <summary>The latest event sequence of <paramref name="projectId"/>, or of the whole log when null.</summary>
    public ValueTask<long> CurrentAsync(string? projectId, CancellationToken ct)
    {
        var key = projectId ?? WholeLog;
        return HearsEveryChange && _heads.TryGetValue(key, out var seq)
            ? ValueTask.FromResult(seq)
            : new ValueTask<long>(ReadAsync(key, projectId, ct));
    }

    /// <summary>
    /// Completes at the next <see cref="Advance"/> or <see cref="Trust"/>: take it before reading the
    /// log, then wait on it, and no commit can slip between the read and the wait.
    /// </summary>
    public Task NextMove => Volatile.Read(ref _moved).Task;

    /// <summary>An event committed: by this process, or by another one that announced it.</summary>
    public void Advance(string? projectId, long seq)
    {
        lock (_gate)
        {
            // Even a first announcement is a head: events commit in sequence order (0003).
            Raise(projectId ?? WholeLog, seq);
            if (projectId is not null)
            {
                Raise(WholeLog, seq);
            }
        }

        Move();
    }

    /// <summary>Announcements arrive from now on: forget what was learnt before, it may have missed some.</summary>
    public void Trust()
    {
        lock (_gate)
        {
            _heads.Clear();
            _generation++;
            Volatile.Write(ref _trusted, true);
        }

        Move();
    }

    /// <summary>Announcements may be lost from now on: answer from the database until trusted again.</summary>
    public void Distrust()
    {
        lock (_gate)
        {
            Volatile.Write(ref _trusted, false);
        }
    }

    private async Task<long> ReadAsync(string key, string? projectId, CancellationToken ct)
    {
        long generation;
        lock (_gate)
        {
            generation = _generation;
        }

        long seq;
        await using (var connection = await db.OpenAsync(ct))
        {
            seq = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                projectId is null ? "SELECT COALESCE(MAX(seq), 0) FROM events" : "SELECT COALESCE(MAX(seq), 0) FROM events WHERE project_id = @projectId",
                new { projectId }, cancellationToken: ct));
        }

        lock (_gate)
        {
            // Announcements were heard all along the read, so any later commit raises the head again.
            if (_trusted && _generation == generation)
            {
                Raise(key, seq);
            }
        }

        return seq;
    }

    // Runs on the committing request's thread or the listener's: completing the task only queues its waiters.
    private void Move() => Interlocked.Exchange(ref _moved, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private void Raise(string key, long seq) => _heads.AddOrUpdate(key, seq, (_, known) => Math.Max(known, seq));
}
