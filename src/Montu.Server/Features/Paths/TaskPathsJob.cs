using Montu.Server.Data;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Features.Paths;

/// <summary>
/// Lays out the unpinned path fields of a project's tasks again (job kind <c>task_paths</c>):
/// queued by a project update that changes its templates, file-name patterns, drives or folder
/// names, and by migration 0019 for the tasks from before it. A batch of tasks, in id order, is one
/// transaction with one <c>tasks_bulk_updated</c> event, so SQLite's other writers wait only a
/// moment. A task already laid out is not written again, so a repeated run changes nothing twice.
/// </summary>
public sealed class TaskPathsJob(Db db, TaskQueries tasks, ProjectQueries projects, EventLog events, TimeProvider time) : IJobHandler
{
    public const string Kind = "task_paths";

    /// <summary>The operation the batch events name.</summary>
    public const string Operation = "lay_out_paths";

    private const int BatchSize = 200;

    string IJobHandler.Kind => Kind;

    public int Concurrency => 1;

    public TimeSpan Timeout => TimeSpan.FromHours(1);

    public static NewJob For(string projectId, string? userId) => new(Kind) { ProjectId = projectId, CreatedBy = userId };

    /// <summary>Whether the change from <paramref name="before"/> to <paramref name="after"/> can change a task's paths.</summary>
    public static bool LayoutChanged(Project before, Project after) =>
        before.DriveMapping != after.DriveMapping
        || before.PathSegments != after.PathSegments
        || !SameEntries(before.Templates, after.Templates)
        || !SameEntries(before.FilenamePatterns, after.FilenamePatterns);

    public async Task RunAsync(LeasedJob job, CancellationToken ct)
    {
        var after = "";
        while (await LayOutBatchAsync(job.ProjectId!, after, job.CreatedBy, ct) is { } last)
        {
            after = last;
        }
    }

    /// <summary>The id of the batch's last task, or null when there were none left.</summary>
    private Task<string?> LayOutBatchAsync(string projectId, string after, string? userId, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            var batch = await tasks.PageForUpdateAsync(tx, projectId, after, BatchSize, ct);
            if (batch.Count == 0 || await projects.FindAsync(tx.Connection!, projectId, ct, tx) is not { } project)
            {
                return null;
            }

            var now = time.GetUtcNow().UtcDateTime;
            var changed = batch.Select(task => (Before: task, After: TaskChanges.FollowTemplates(task, project, now)))
                .Where(c => c.After.Changes.Count > 0).ToList();
            foreach (var (before, laidOut) in changed)
            {
                await tasks.UpdateAsync(tx, before, laidOut.Stored, project, ct);
            }

            if (changed.Count > 0)
            {
                await events.AppendAsync(tx, TaskEvents.BulkUpdate(projectId, [.. changed.Select(c => (c.Before.Task, c.After.Task))], Operation, userId), ct);
            }

            return batch[^1].Task.Id;
        }, ct);

    private static bool SameEntries(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(entry => b.TryGetValue(entry.Key, out var value) && value == entry.Value);
}
