using Montu.Server.Data;
using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Infrastructure.Idempotency;

/// <summary>
/// Deletes expired idempotency keys, every hour, as a job of the jobs table that queues its own
/// next run (at most one waits in the queue: a unique index of migration 0010). An expired key
/// no longer answers whether or not it was deleted yet; the sweep only keeps the table small.
/// </summary>
public sealed partial class IdempotencySweep(Db db, JobQueue jobs, IdempotencyKeys keys, TimeProvider time, ILogger<IdempotencySweep> logger) : IJobHandler
{
    public const string JobKind = "idempotency_sweep";

    public static readonly TimeSpan Every = TimeSpan.FromHours(1);

    /// <summary>Keys deleted by one transaction, so that SQLite's other writers wait only a moment.</summary>
    private const int KeysPerDelete = 1000;

    public string Kind => JobKind;

    public int Concurrency => 1;

    public TimeSpan Timeout => TimeSpan.FromMinutes(5);

    /// <summary>At start-up: a sweep at once, unless one is queued already (by another instance, or before a restart).</summary>
    public Task ScheduleAsync(CancellationToken ct) =>
        db.InTransactionAsync(tx => jobs.EnqueueUnlessQueuedAsync(tx, At(time.GetUtcNow()), ct), ct);

    /// <summary>
    /// Queues the next sweep first, so that one failing or cut short does not end the series; a
    /// sweep stopped by its timeout or by shutdown ends quietly, the next one going on from there.
    /// </summary>
    public async Task RunAsync(LeasedJob job, CancellationToken ct)
    {
        await db.InTransactionAsync(tx => jobs.EnqueueUnlessQueuedAsync(tx, At(time.GetUtcNow() + Every), CancellationToken.None), CancellationToken.None);
        var deleted = 0;
        int last;
        do
        {
            last = await keys.DeleteExpiredAsync(KeysPerDelete, CancellationToken.None);
            deleted += last;
        }
        while (last == KeysPerDelete && !ct.IsCancellationRequested);

        if (deleted > 0)
        {
            LogDeleted(logger, deleted);
        }
    }

    /// <summary>One attempt only: a retry would wait in the queue beside the next sweep, which the unique index refuses.</summary>
    private static NewJob At(DateTimeOffset due) => new(JobKind) { NotBefore = due, MaxAttempts = 1 };

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency keys")]
    private static partial void LogDeleted(ILogger logger, int count);
}
