using System.Data.Common;
using System.Globalization;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Notifications;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.TaskWorkflow;

/// <summary>A task's status as one change moved it, as its event records it.</summary>
public sealed record StatusMove(string TaskId, string Before, string After);

/// <summary>
/// When a task is blocked: it waits on a prerequisite whose status is neither one of the project's
/// doneStatuses nor archived (an archived prerequisite is work nobody will do, so nothing waits on it).
/// </summary>
public sealed class TaskBlocking(Db db)
{
    public const string Unblocked = "task_unblocked";

    /// <summary>
    /// The task list's <c>blocked</c> filter, on the unaliased <c>tasks</c> of the list's query: one
    /// probe of the dependency key per task, and one of the project's done statuses per prerequisite.
    /// </summary>
    public static string Condition(SqlDialect dialect, bool blocked) => $"""
        {(blocked ? "" : "NOT ")}EXISTS (SELECT 1 FROM task_dependencies blocker_link JOIN tasks blocker ON blocker.id = blocker_link.depends_on
            WHERE blocker_link.task_id = tasks.id AND blocker.status <> '{TaskRules.Archived}' AND NOT {IsDone(dialect, "blocker")})
        """;

    private static string IsDone(SqlDialect dialect, string task) => dialect.Engine == DbEngine.Postgres
        ? $"(SELECT done_statuses FROM projects WHERE id = {task}.project_id) @> jsonb_build_array({task}.status)"
        : $"EXISTS (SELECT 1 FROM projects, json_each(projects.done_statuses) WHERE projects.id = {task}.project_id AND json_each.value = {task}.status)";

    public static bool Blocks(string status, IReadOnlyCollection<string> done) => status != TaskRules.Archived && !done.Contains(status);

    /// <summary>
    /// The <c>task_unblocked</c> notices a change of statuses makes: for each task waiting on a moved task
    /// that was blocked before the change and is not after it, to its artist. Statuses are taken from the
    /// moves, not the rows, since a single-task write lands in the same round trip as its event, after this read.
    /// </summary>
    public async Task<IReadOnlyList<Notice>> NoticesAsync(DbTransaction tx, string projectId, IReadOnlyList<StatusMove> moves, CancellationToken ct)
    {
        var moved = moves.GroupBy(m => m.TaskId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.First().Before, g.Last().After), StringComparer.Ordinal);
        var released = moved.Keys.ToArray();
        var rows = (await tx.Connection!.QueryAsync<WaitingRow>(new CommandDefinition($"""
            SELECT waiting.id AS Id, waiting.artist AS Artist, waiting.task AS TaskType, COALESCE(waiting.shot, waiting.asset) AS Subject,
                   waiting.status AS Status, link.depends_on AS Prerequisite, prerequisite.status AS PrerequisiteStatus,
                   (SELECT done_statuses FROM projects WHERE id = @projectId) AS DoneStatuses
            FROM task_dependencies link
            JOIN tasks waiting ON waiting.id = link.task_id
            JOIN tasks prerequisite ON prerequisite.id = link.depends_on
            WHERE link.task_id IN (SELECT task_id FROM task_dependencies WHERE {db.Dialect.In("depends_on", "released")})
            """, new { projectId, released }, tx, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var done = StorageJson.Read<List<string>>(rows[0].DoneStatuses).ToHashSet(StringComparer.Ordinal);
        var unblocked = new List<WaitingRow>();
        foreach (var waiting in rows.GroupBy(r => r.Id, StringComparer.Ordinal))
        {
            var task = waiting.First();
            var status = moved.TryGetValue(task.Id, out var own) ? own.After : task.Status;
            if (string.IsNullOrWhiteSpace(task.Artist) || !Blocks(status, done))
            {
                continue;
            }

            var before = waiting.Any(r => Blocks(moved.TryGetValue(r.Prerequisite, out var m) ? m.Before : r.PrerequisiteStatus, done));
            var after = waiting.Any(r => Blocks(moved.TryGetValue(r.Prerequisite, out var m) ? m.After : r.PrerequisiteStatus, done));
            if (before && !after)
            {
                unblocked.Add(task);
            }
        }

        return Notices(projectId, unblocked);
    }

    /// <summary>After a dependency's removal: whether the task was blocked by it alone, read with the link already gone.</summary>
    public async Task<IReadOnlyList<Notice>> RemovalNoticesAsync(DbTransaction tx, TaskItem task, string removedStatus, IReadOnlyCollection<string> done, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(task.Artist) || !Blocks(task.Status, done) || !Blocks(removedStatus, done))
        {
            return [];
        }

        var stillBlocked = await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM tasks WHERE id = @id AND {Condition(db.Dialect, blocked: true)}", new { id = task.Id }, tx, cancellationToken: ct)) > 0;
        return stillBlocked ? [] : Notices(task.ProjectId, [new WaitingRow { Id = task.Id, Artist = task.Artist, TaskType = task.Task, Subject = task.Shot ?? task.Asset }]);
    }

    /// <summary>One notice per artist: a task by name, or several with their count, as a bulk change's notices are.</summary>
    private static List<Notice> Notices(string projectId, IReadOnlyList<WaitingRow> unblocked)
    {
        var notices = new List<Notice>();
        foreach (var group in unblocked.GroupBy(t => t.Artist!.Trim().ToLowerInvariant(), StringComparer.Ordinal))
        {
            var tasks = group.ToList();
            notices.Add(tasks.Count == 1
                ? new Notice(Unblocked, [tasks[0].Artist], "Task Unblocked",
                    $"{TaskNotices.Describe(tasks[0].TaskType, tasks[0].Subject ?? tasks[0].Id)} can start: every task it waits on is finished",
                    new Dictionary<string, object?> { ["taskId"] = tasks[0].Id, ["projectId"] = projectId })
                { Subject = $"{Unblocked}:{tasks[0].Id}" }
                : new Notice(Unblocked, [group.Key], "Tasks Unblocked",
                    $"{tasks.Count.ToString(CultureInfo.InvariantCulture)} of your tasks in {projectId} can start: every task they wait on is finished",
                    new Dictionary<string, object?>
                    {
                        ["projectId"] = projectId,
                        ["count"] = tasks.Count,
                        ["taskIds"] = tasks.Take(TaskNotices.ListedTasks).Select(t => t.Id).ToList(),
                    })
                { Subject = Unblocked });
        }

        return notices;
    }

    private sealed class WaitingRow
    {
        public string Id { get; init; } = "";

        public string? Artist { get; init; }

        public string TaskType { get; init; } = "";

        public string? Subject { get; init; }

        public string Status { get; init; } = "";

        public string Prerequisite { get; init; } = "";

        public string PrerequisiteStatus { get; init; } = "";

        public string DoneStatuses { get; init; } = "[]";
    }
}
