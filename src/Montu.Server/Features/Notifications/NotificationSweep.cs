using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Features.Notifications;

/// <summary>
/// Every quarter of an hour, as a job that queues its own next run (at most one waits: a unique
/// index of migration 0021): removes expired notifications, and tells each open task's artist
/// once that its deadline is less than a day away. "Once" is per task and deadline: a reminder
/// sent is recorded in <c>deadline_reminders</c>, so deleting the notification does not bring it
/// back, and a moved deadline is a new one.
/// </summary>
public sealed partial class NotificationSweep(
    Db db, JobQueue jobs, NotificationWriter writer, NotificationQueries notifications, EventLog events, TimeProvider time, ILogger<NotificationSweep> logger) : IJobHandler
{
    public const string JobKind = "notification_sweep";

    public static readonly TimeSpan Every = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan DeadlineNotice = TimeSpan.FromHours(24);

    private const int RowsPerTransaction = 500;

    public string Kind => JobKind;

    public int Concurrency => 1;

    public TimeSpan Timeout => TimeSpan.FromMinutes(10);

    /// <summary>At start-up: a sweep at once, unless one is queued already (by another instance, or before a restart).</summary>
    public Task ScheduleAsync(CancellationToken ct) =>
        db.InTransactionAsync(tx => jobs.EnqueueUnlessQueuedAsync(tx, At(time.GetUtcNow()), ct), ct);

    /// <summary>Queues the next run first, so that one failing or cut short does not end the series.</summary>
    public async Task RunAsync(LeasedJob job, CancellationToken ct)
    {
        await db.InTransactionAsync(tx => jobs.EnqueueUnlessQueuedAsync(tx, At(time.GetUtcNow() + Every), CancellationToken.None), CancellationToken.None);
        var now = TaskChanges.Stored(time.GetUtcNow().UtcDateTime);
        var expired = 0;
        int removed;
        while ((removed = await notifications.DeleteExpiredAsync(now, RowsPerTransaction, ct)) > 0)
        {
            expired += removed;
        }

        var reminded = 0;
        int sent;
        while ((sent = await RemindAsync(now, ct)) > 0)
        {
            reminded += sent;
        }

        if (expired + reminded > 0)
        {
            LogSwept(logger, expired, reminded);
        }
    }

    /// <summary>Reminds the artists of the next open tasks due within a day; returns how many tasks it went through.</summary>
    private Task<int> RemindAsync(DateTime now, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            var due = (await tx.Connection!.QueryAsync<DueTask>(new CommandDefinition("""
                SELECT t.id, t.project_id, t.artist, t.shot, t.asset, t.task, t.deadline
                FROM tasks t JOIN projects p ON p.id = t.project_id
                WHERE t.deadline > @now AND t.deadline <= @until AND t.artist IS NOT NULL
                  AND t.status NOT IN ('approved', 'completed', 'archived') AND p.status <> 'archived'
                  AND NOT EXISTS (SELECT 1 FROM deadline_reminders r WHERE r.task_id = t.id AND r.deadline = t.deadline)
                ORDER BY t.deadline, t.id LIMIT @limit
                """, new { now, until = now + DeadlineNotice, limit = RowsPerTransaction }, tx, cancellationToken: ct))).AsList();
            if (due.Count == 0)
            {
                return 0;
            }

            // The deadline is copied as stored, so the reminder matches it exactly on either engine.
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO deadline_reminders (task_id, deadline, sent_at) SELECT id, deadline, @now FROM tasks WHERE {db.Dialect.In("id", "ids")}",
                new { now, ids = due.Select(t => t.Id).ToArray() }, tx, cancellationToken: ct));
            foreach (var project in due.GroupBy(t => t.ProjectId, StringComparer.Ordinal))
            {
                if (await writer.PrepareAsync(tx, project.Select(Reminder).ToList(), project.Key, actor: null, ct) is { } prepared)
                {
                    await events.AppendAllAsync(tx, [prepared.Insert], prepared.Events, ct);
                }
            }

            return due.Count;
        }, ct);

    private static Notice Reminder(DueTask task) => new(NotificationRules.DeadlineApproaching, [task.Artist], "Deadline Approaching",
        $"{TaskNotices.Describe(task.Task, task.Shot ?? task.Asset)} is due {task.Deadline:yyyy-MM-dd HH:mm} UTC",
        new Dictionary<string, object?>
        {
            ["taskId"] = task.Id,
            ["projectId"] = task.ProjectId,
            ["deadline"] = DateTime.SpecifyKind(task.Deadline, DateTimeKind.Utc),
        })
    {
        Priority = NotificationRules.High,
    };

    /// <summary>One attempt only: a retry would wait in the queue beside the next run, which the unique index refuses.</summary>
    private static NewJob At(DateTimeOffset due) => new(JobKind) { NotBefore = due, MaxAttempts = 1 };

    private sealed class DueTask
    {
        public string Id { get; set; } = "";

        public string ProjectId { get; set; } = "";

        public string Artist { get; set; } = "";

        public string? Shot { get; set; }

        public string? Asset { get; set; }

        public string Task { get; set; } = "";

        public DateTime Deadline { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification sweep: removed {Expired} expired notifications, reminded artists of {Reminded} deadlines")]
    private static partial void LogSwept(ILogger logger, int expired, int reminded);
}
