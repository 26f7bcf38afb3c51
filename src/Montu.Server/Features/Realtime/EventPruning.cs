using Dapper;
using Microsoft.Extensions.Options;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Features.Realtime;

/// <summary>Configuration section <c>Events</c>.</summary>
public sealed class EventOptions
{
    /// <summary>How long events are kept for replays and the changes feed.</summary>
    public int RetentionDays { get; set; } = 90;
}

/// <summary>
/// Removes events older than the retention, once a day, as a job of the jobs table that queues its
/// own next run (at most one waits in the queue: a unique index of migration 0012). It removes a
/// prefix of the log only: everything up to the first event that is still young enough, so
/// <c>event_retention.pruned_through</c> is exact and a client behind it is told to resynchronise,
/// never handed a log with a hole. Each transaction removes a bounded range, so SQLite's other
/// writers wait only a moment.
/// </summary>
public sealed partial class EventPruning(Db db, JobQueue jobs, IOptions<EventOptions> options, TimeProvider time, ILogger<EventPruning> logger) : IJobHandler
{
    public const string JobKind = "event_pruning";

    public static readonly TimeSpan Every = TimeSpan.FromDays(1);

    private const int EventsPerDelete = 5000;

    public string Kind => JobKind;

    public int Concurrency => 1;

    public TimeSpan Timeout => TimeSpan.FromMinutes(30);

    /// <summary>At start-up: a pruning at once, unless one is queued already (by another instance, or before a restart).</summary>
    public Task ScheduleAsync(CancellationToken ct) =>
        db.InTransactionAsync(tx => jobs.EnqueueUnlessQueuedAsync(tx, At(time.GetUtcNow()), ct), ct);

    /// <summary>Queues the next run first, so that one failing or cut short does not end the series.</summary>
    public async Task RunAsync(LeasedJob job, CancellationToken ct)
    {
        await db.InTransactionAsync(tx => jobs.EnqueueUnlessQueuedAsync(tx, At(time.GetUtcNow() + Every), CancellationToken.None), CancellationToken.None);
        var cutoff = time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(options.Value.RetentionDays);
        var removed = 0L;
        long pruned, boundary;
        do
        {
            (pruned, boundary) = await PruneRangeAsync(cutoff, ct);
            removed += pruned;
        }
        while (pruned > 0 && !ct.IsCancellationRequested);

        if (removed > 0)
        {
            LogPruned(logger, removed, boundary, options.Value.RetentionDays);
        }
    }

    /// <summary>Removes the next range of old events; returns how many, and the newest seq now pruned.</summary>
    private Task<(long Removed, long Through)> PruneRangeAsync(DateTime cutoff, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            var connection = tx.Connection!;
            var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT pruned_through FROM event_retention", transaction: tx, cancellationToken: ct));
            // The log's prefix of old events ends just before its first young one (or at its head).
            var young = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT MIN(seq) FROM events WHERE created_at >= @cutoff", new { cutoff }, tx, cancellationToken: ct));
            var head = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(seq), 0) FROM events", transaction: tx, cancellationToken: ct));
            var through = Math.Min((young ?? head + 1) - 1, done + EventsPerDelete);
            if (through <= done)
            {
                return (0L, done);
            }

            var removed = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM events WHERE seq > @done AND seq <= @through", new { done, through }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE event_retention SET pruned_through = @through", new { through }, tx, cancellationToken: ct));
            // A range of rolled-back sequence numbers removes nothing but still moves the boundary on.
            return (Math.Max(removed, 1L), through);
        }, ct);

    /// <summary>One attempt only: a retry would wait in the queue beside the next run, which the unique index refuses.</summary>
    private static NewJob At(DateTimeOffset due) => new(JobKind) { NotBefore = due, MaxAttempts = 1 };

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} events older than {Days} days from the event log (through seq {Through})")]
    private static partial void LogPruned(ILogger logger, long count, long through, int days);
}
