using System.Data.Common;
using System.Text.Json;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Infrastructure.Jobs;

/// <summary>
/// The jobs table (docs/decisions/0017): enqueueing in the caller's transaction, claiming, and
/// the end of every attempt. A worker's report changes its job only while the worker holds the
/// lease (<see cref="HeldBy"/>): a job taken back from it, or cancelled, is no longer its to end.
/// </summary>
public sealed partial class JobQueue(Db db, JobSignal signal, IdGenerator ids, TimeProvider time, ILogger<JobQueue> logger)
{
    public const string Queued = "queued";
    public const string Failed = "failed";

    private const string HeldBy = "id = @Id AND worker_id = @WorkerId AND attempts = @Attempts AND status IN ('leased', 'running')";

    private const string LeasedColumns = "id, kind, project_id, task_id, params, priority, attempts, max_attempts, worker_id, lease_expires_at, batch_id, created_by";

    /// <summary>Bounds one sweep's work; more expired leases wait for the next.</summary>
    private const int ExpiredPerSweep = 100;

    private static readonly TimeSpan FirstRetryAfter = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Adds the job in <paramref name="tx"/>, so it exists exactly when the change that asked for
    /// it commits; this instance's workers are woken after the commit.
    /// </summary>
    public async Task<string> EnqueueAsync(DbTransaction tx, NewJob job, CancellationToken ct)
    {
        var id = ids.NewId("job");
        await InsertAsync(tx, id, job, onConflict: "", ct);
        return id;
    }

    /// <summary>
    /// Adds the job unless one of its kind is queued already: for work that queues its own next
    /// run (a periodic sweep), whose kind has a unique index over its queued jobs in its migration.
    /// Such a job has one attempt (<see cref="NewJob.MaxAttempts"/> 1): a retry queued beside its
    /// successor would break that index. True when added.
    /// </summary>
    public async Task<bool> EnqueueUnlessQueuedAsync(DbTransaction tx, NewJob job, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(job.MaxAttempts, 1);
        return await InsertAsync(tx, ids.NewId("job"), job, onConflict: "ON CONFLICT DO NOTHING", ct) == 1;
    }

    private async Task<int> InsertAsync(DbTransaction tx, string id, NewJob job, string onConflict, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(job.MaxAttempts, 1);
        var added = await tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO jobs (id, project_id, kind, priority, task_id, params, max_attempts, not_before, batch_id, created_by, created_at)
            VALUES (@id, @ProjectId, @Kind, @Priority, @TaskId, {db.Dialect.Json("Params")}, @MaxAttempts, @NotBefore, @BatchId, @CreatedBy, @now)
            {onConflict}
            """,
            new
            {
                id,
                job.ProjectId,
                job.Kind,
                job.Priority,
                job.TaskId,
                Params = job.Params is null ? "{}" : StorageJson.Write(job.Params),
                job.MaxAttempts,
                NotBefore = job.NotBefore?.UtcDateTime,
                job.BatchId,
                job.CreatedBy,
                now = Now(),
            },
            tx, cancellationToken: ct));
        if (added == 1)
        {
            db.AfterCommit(tx, signal.Wake);
        }

        return added;
    }

    /// <summary>
    /// Leases to <paramref name="workerId"/> up to <paramref name="max"/> queued jobs of
    /// <paramref name="kinds"/> that are due, highest priority then oldest first. Each job goes to
    /// one worker only, however many instances claim at once: PostgreSQL skips the rows other
    /// claims have locked, and SQLite runs one write transaction at a time.
    /// </summary>
    public async Task<IReadOnlyList<LeasedJob>> ClaimAsync(
        DbTransaction tx, string workerId, string[] kinds, int max, TimeSpan leaseFor, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfZero(kinds.Length);
        var now = Now();
        // One kind walks the claim index in order and stops at max: 0.1 ms with 100k jobs queued on
        // PostgreSQL. A list of kinds makes it sort every due job of those kinds first: 50 ms.
        var ofKinds = kinds.Length == 1 ? "kind = @kind" : db.Dialect.In("kind", "kinds");
        var rows = await tx.Connection!.QueryAsync<JobRow>(new CommandDefinition($"""
            UPDATE jobs SET status = 'leased', worker_id = @workerId, lease_expires_at = @leaseExpiresAt
            WHERE id IN (
                SELECT id FROM jobs
                WHERE status = 'queued' AND {ofKinds} AND (not_before IS NULL OR not_before <= @now)
                ORDER BY priority DESC, created_at, id
                LIMIT @max
                {db.Dialect.SkipLocked})
            RETURNING {LeasedColumns}
            """,
            new { workerId, leaseExpiresAt = now + leaseFor, kind = kinds[0], kinds, now, max }, tx, cancellationToken: ct));
        return [.. rows.Select(r => r.ToLeasedJob())];
    }

    /// <summary>
    /// Takes back the jobs whose lease ran out (their worker died or lost the database). That
    /// attempt counts as failed: the job is retried after a backoff, or fails at its last attempt.
    /// </summary>
    public async Task RequeueExpiredAsync(DbTransaction tx, CancellationToken ct)
    {
        var expired = await tx.Connection!.QueryAsync<JobRow>(new CommandDefinition($"""
            SELECT {LeasedColumns} FROM jobs
            WHERE status IN ('leased', 'running') AND lease_expires_at <= @now
            ORDER BY lease_expires_at
            LIMIT {ExpiredPerSweep}
            {db.Dialect.SkipLocked}
            """, new { now = Now() }, tx, cancellationToken: ct));
        foreach (var job in expired.Select(r => r.ToLeasedJob()))
        {
            // The row is this transaction's (locked, or SQLite's only writer): the update cannot miss.
            var status = await FailAsync(tx, job, $"the lease of worker {job.WorkerId} expired", retryable: true, ct);
            LogLeaseExpired(logger, job.Id, job.Kind, job.WorkerId, status!);
        }
    }

    /// <summary>Marks the job running (the first call sets its start) and moves its lease on; false once the lease is lost.</summary>
    public async Task<bool> RenewAsync(DbTransaction tx, LeasedJob job, TimeSpan leaseFor, CancellationToken ct)
    {
        var now = Now();
        return await ExecuteAsync(tx, $"""
            UPDATE jobs SET status = 'running', started_at = CASE WHEN status = 'leased' THEN @now ELSE started_at END,
                lease_expires_at = @leaseExpiresAt
            WHERE {HeldBy}
            """, new { job.Id, job.WorkerId, job.Attempts, now, leaseExpiresAt = now + leaseFor }, ct) == 1;
    }

    /// <summary>Completes the job; false when the lease was lost, and then nothing changes.</summary>
    public async Task<bool> CompleteAsync(DbTransaction tx, LeasedJob job, CancellationToken ct) =>
        await ExecuteAsync(tx, $"""
            UPDATE jobs SET status = 'completed', error = NULL, lease_expires_at = NULL, finished_at = @now
            WHERE {HeldBy}
            """, new { job.Id, job.WorkerId, job.Attempts, now = Now() }, ct) == 1;

    /// <summary>
    /// Ends an attempt that failed. A retryable failure with attempts left goes back to the queue
    /// after 10 s × 2^attempts (at most 15 min); otherwise the job fails with <paramref name="error"/>.
    /// Answers the job's status now, or null when the lease was lost and nothing changed.
    /// </summary>
    public async Task<string?> FailAsync(DbTransaction tx, LeasedJob job, string error, bool retryable, CancellationToken ct)
    {
        var now = Now();
        var retry = retryable && job.Attempts + 1 < job.MaxAttempts;
        var sql = retry
            ? $"""
                UPDATE jobs SET status = 'queued', attempts = attempts + 1, not_before = @notBefore, error = @error,
                    worker_id = NULL, lease_expires_at = NULL
                WHERE {HeldBy}
                """
            : $"""
                UPDATE jobs SET status = 'failed', attempts = attempts + 1, error = @error, lease_expires_at = NULL, finished_at = @now
                WHERE {HeldBy}
                """;
        var changed = await ExecuteAsync(tx, sql, new { job.Id, job.WorkerId, job.Attempts, error, notBefore = now + RetryAfter(job.Attempts), now }, ct);
        return changed == 0 ? null : retry ? Queued : Failed;
    }

    /// <summary>Hands the job back to the queue without counting an attempt: its worker is shutting down.</summary>
    public async Task<bool> ReleaseAsync(DbTransaction tx, LeasedJob job, CancellationToken ct) =>
        await ExecuteAsync(tx, $"""
            UPDATE jobs SET status = 'queued', worker_id = NULL, lease_expires_at = NULL
            WHERE {HeldBy}
            """, new { job.Id, job.WorkerId, job.Attempts }, ct) == 1;

    private static TimeSpan RetryAfter(int attemptsBefore)
    {
        // From 2^7 on the cap applies anyway, and a larger shift would overflow.
        var delay = FirstRetryAfter * (1 << Math.Min(attemptsBefore, 7));
        return delay < LongestRetryAfter ? delay : LongestRetryAfter;
    }

    private static Task<int> ExecuteAsync(DbTransaction tx, string sql, object args, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct));

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}): the lease of worker {WorkerId} expired; the job is {Status}")]
    private static partial void LogLeaseExpired(ILogger logger, string jobId, string kind, string workerId, string status);

    private sealed class JobRow
    {
        public string Id { get; init; } = "";

        public string Kind { get; init; } = "";

        public string? ProjectId { get; init; }

        public string? TaskId { get; init; }

        public string Params { get; init; } = "{}";

        public int Priority { get; init; }

        public int Attempts { get; init; }

        public int MaxAttempts { get; init; }

        public string WorkerId { get; init; } = "";

        public DateTime LeaseExpiresAt { get; init; }

        public string? BatchId { get; init; }

        public string? CreatedBy { get; init; }

        public LeasedJob ToLeasedJob() => new(
            Id, Kind, ProjectId, TaskId, JsonSerializer.Deserialize<JsonElement>(Params), Priority, Attempts, MaxAttempts,
            WorkerId, DateTime.SpecifyKind(LeaseExpiresAt, DateTimeKind.Utc), BatchId, CreatedBy);
    }
}
