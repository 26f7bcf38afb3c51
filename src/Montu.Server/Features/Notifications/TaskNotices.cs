using System.Globalization;
using Montu.Server.Features.Tasks;

namespace Montu.Server.Features.Notifications;

/// <summary>
/// What a task change means for its artist: <c>task_assigned</c> when the artist becomes someone,
/// else <c>task_updated</c> when the status moves. A change of many tasks (bulk, import) tells each
/// artist once, with the count and the tasks' ids, rather than once per task.
/// </summary>
public static class TaskNotices
{
    /// <summary>How many task ids a notice about many tasks lists; its count says how many there were.</summary>
    public const int ListedTasks = 100;

    public static IReadOnlyList<Notice> Changed(TaskItem? before, TaskItem after) => Kind(before, after) switch
    {
        NotificationRules.TaskAssigned => [new Notice(NotificationRules.TaskAssigned, [after.Artist], "Task Assigned",
            $"{Describe(after)} assigned to you", Data(after)) { Subject = after.Id }],
        NotificationRules.TaskUpdated => [new Notice(NotificationRules.TaskUpdated, [after.Artist], "Task Status Changed",
            $"{Describe(after)} moved to {NotificationRules.Words(after.Status)}",
            new Dictionary<string, object?>(Data(after)) { ["oldStatus"] = before!.Status, ["newStatus"] = after.Status }) { Subject = after.Id }],
        _ => [],
    };

    public static IReadOnlyList<Notice> ChangedMany(string projectId, IEnumerable<(TaskItem? Before, TaskItem After)> tasks)
    {
        var notices = new List<Notice>();
        var groups = tasks.Select(t => (Kind: Kind(t.Before, t.After), t.Before, t.After)).Where(t => t.Kind is not null)
            .GroupBy(t => (t.Kind, Artist: t.After.Artist!.Trim().ToLowerInvariant()));
        foreach (var group in groups)
        {
            var changed = group.ToList();
            if (changed.Count == 1)
            {
                notices.AddRange(Changed(changed[0].Before, changed[0].After));
                continue;
            }

            var assigned = group.Key.Kind == NotificationRules.TaskAssigned;
            var count = changed.Count.ToString(CultureInfo.InvariantCulture);
            notices.Add(new Notice(group.Key.Kind!, [group.Key.Artist], assigned ? "Tasks Assigned" : "Task Statuses Changed",
                assigned ? $"{count} tasks of {projectId} assigned to you" : $"{count} of your tasks in {projectId} changed status",
                new Dictionary<string, object?>
                {
                    ["projectId"] = projectId,
                    ["count"] = changed.Count,
                    ["taskIds"] = changed.Take(ListedTasks).Select(t => t.After.Id).ToList(),
                })
            { Subject = group.Key.Kind });
        }

        return notices;
    }

    /// <summary>The task in words for a message: "Lighting task for SH0020".</summary>
    public static string Describe(string taskType, string? subject) =>
        subject is null ? $"{NotificationRules.Words(taskType)} task" : $"{NotificationRules.Words(taskType)} task for {subject}";

    private static string Describe(TaskItem task) => Describe(task.Task, task.Shot ?? task.Asset ?? task.Id);

    private static string? Kind(TaskItem? before, TaskItem after) =>
        string.IsNullOrWhiteSpace(after.Artist) ? null
        : !string.Equals(before?.Artist?.Trim(), after.Artist.Trim(), StringComparison.OrdinalIgnoreCase) ? NotificationRules.TaskAssigned
        : before!.Status != after.Status && after.Status != TaskRules.Archived ? NotificationRules.TaskUpdated
        : null;

    private static Dictionary<string, object?> Data(TaskItem task) => new() { ["taskId"] = task.Id, ["projectId"] = task.ProjectId };
}
