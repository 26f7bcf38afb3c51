using System.Text.Json;
using Montu.Server.Data;
using Montu.Server.Features.Notifications;
using Montu.Server.Features.TaskWorkflow;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// The events a task change appends, in one shape wherever the change comes from: the wire fields
/// it changed (<c>changes</c>), what they held before (<c>previous</c>) and the revision it made.
/// A field merge reads them back (<see cref="TaskHistory"/>).
/// </summary>
public static class TaskEvents
{
    public const string Updated = "task_updated";
    public const string Archived = "task_archived";
    public const string Restored = "task_restored";
    public const string BulkUpdated = "tasks_bulk_updated";

    public static NewEvent Update(TaskItem before, TaskItem after, IReadOnlyDictionary<string, JsonElement> changes, string? userId) =>
        new(Updated, after.ProjectId, "task", after.Id,
            new { taskId = after.Id, changes, previous = Previous(before, changes.Keys), revision = after.Revision }, userId)
        {
            Notices = TaskNotices.Changed(before, after),
            StatusMoves = Moves([(before, after)]),
        };

    public static NewEvent Archive(TaskItem before, TaskItem after, string? userId) =>
        new(Archived, after.ProjectId, "task", after.Id, new
        {
            taskId = after.Id,
            status = after.Status,
            previousStatus = before.Status,
            changes = TaskChanges.Diff(before, after),
            previous = Previous(before, ["status"]),
            revision = after.Revision,
        }, userId)
        {
            StatusMoves = Moves([(before, after)]),
        };

    public static NewEvent Restore(TaskItem before, TaskItem after, string? userId) =>
        new(Restored, after.ProjectId, "task", after.Id, new
        {
            taskId = after.Id,
            status = after.Status,
            changes = TaskChanges.Diff(before, after),
            previous = Previous(before, ["status"]),
            revision = after.Revision,
        }, userId);

    /// <summary>One event for the tasks of one project a bulk request changed, each with its changes, previous values and revision.</summary>
    public static NewEvent BulkUpdate(string projectId, IReadOnlyList<(TaskItem Before, TaskItem After)> tasks, string operation, string? userId)
    {
        var changes = tasks.ToDictionary(t => t.After.Id, t => TaskChanges.Diff(t.Before, t.After), StringComparer.Ordinal);
        return new NewEvent(BulkUpdated, projectId, "tasks", projectId, new
        {
            taskIds = tasks.Select(t => t.After.Id).ToList(),
            operation,
            changes,
            previous = tasks.ToDictionary(t => t.After.Id, t => Previous(t.Before, changes[t.After.Id].Keys), StringComparer.Ordinal),
            revisions = tasks.ToDictionary(t => t.After.Id, t => t.After.Revision, StringComparer.Ordinal),
        }, userId)
        {
            Notices = TaskNotices.ChangedMany(projectId, tasks.Select(t => ((TaskItem?)t.Before, t.After))),
            StatusMoves = Moves(tasks),
        };
    }

    /// <summary>The statuses that moved, which may unblock the tasks waiting on them (a restore only ever blocks, so it has none).</summary>
    private static List<StatusMove> Moves(IEnumerable<(TaskItem Before, TaskItem After)> tasks) =>
        [.. tasks.Where(t => t.Before.Status != t.After.Status).Select(t => new StatusMove(t.After.Id, t.Before.Status, t.After.Status))];

    /// <summary>The wire values <paramref name="fields"/> held in <paramref name="before"/>.</summary>
    private static Dictionary<string, JsonElement> Previous(TaskItem before, IEnumerable<string> fields)
    {
        var old = JsonSerializer.SerializeToElement(before, WireJson.Default);
        return fields.ToDictionary(f => f, f => old.GetProperty(f), StringComparer.Ordinal);
    }
}
