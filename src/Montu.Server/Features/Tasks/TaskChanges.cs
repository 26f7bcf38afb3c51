using System.Text.Json;
using Montu.Server.Features.Paths;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>A patch applied to a task: the task after it, and the wire fields it changed (see <see cref="TaskChanges.Diff"/>).</summary>
public sealed record AppliedPatch(StoredTask Stored, Dictionary<string, JsonElement> Changes)
{
    public TaskItem Task => Stored.Task;
}

/// <summary>
/// Builds a valid task from a create body, applies a patch to one, archives and restores; no I/O.
/// Every create and patch lays out the task's path fields that no client pinned (<see cref="TaskPaths.Follow"/>).
/// </summary>
public static class TaskChanges
{
    /// <summary>Timestamps are kept to the microsecond, as PostgreSQL stores them, so what a write returns is what a read returns.</summary>
    public static DateTime Stored(DateTime time) => new(time.Ticks - (time.Ticks % 10), DateTimeKind.Utc);

    public static StoredTask? Create(TaskInput input, Project project, DateTime now, string? userId, ValidationProblems problems)
    {
        now = Stored(now);
        var blank = new TaskItem
        {
            Id = "",
            ProjectId = project.Id,
            Status = TaskRules.DefaultStatus(project, null),
            Priority = TaskRules.DefaultPriority(project),
            CreatedAt = now,
            UpdatedAt = now,
            CreatedBy = userId,
        };
        var task = TaskFields.Apply(blank, input, problems);
        if (!input.Fields.Any(f => f.Key == "status"))
        {
            // The type is known only once the body is read, and it may allow fewer statuses than the project.
            task = task with { Status = TaskRules.DefaultStatus(project, task.Task) };
        }

        TaskRules.Check(null, task, project, problems);
        if (input.Id is not null || !problems.Any)
        {
            var id = input.Id ?? TaskRules.DerivedId(task);
            if (!TaskRules.IdFormat().IsMatch(id))
            {
                problems.Add("id", input.Id is null
                    ? $"The id derived from the names, {Quote.Of(id)}, is not valid; send an id"
                    : "Task id must be 1 to 128 letters, digits, '.', '_' or '-'", ErrorCodes.InvalidFormat);
            }

            task = task with { Id = id };
        }

        if (problems.Any)
        {
            return null;
        }

        var (laidOut, pins) = TaskPaths.Follow(project, WithCleanNames(task), PinnedPaths.None, input);
        return new StoredTask(laidOut, null, 0, pins);
    }

    /// <summary>
    /// The task after the patch with the fields it changed, or null with the problems;
    /// <paramref name="current"/> itself, with no changes, when the patch changes nothing.
    /// </summary>
    public static AppliedPatch? Apply(StoredTask current, TaskInput input, Project project, DateTime now, ValidationProblems problems)
    {
        var updated = TaskFields.Apply(current.Task, input, problems);
        TaskRules.Check(current.Task, updated, project, problems);
        if (problems.Any)
        {
            return null;
        }

        var (laidOut, pins) = TaskPaths.Follow(project, WithCleanNames(updated), current.PinnedPaths, input);
        return Changed(current, laidOut, pins, now);
    }

    /// <summary>The task with its unpinned path fields laid out by the project's templates as they are now (after a template change).</summary>
    public static AppliedPatch FollowTemplates(StoredTask current, Project project, DateTime now)
    {
        var (laidOut, pins) = TaskPaths.Follow(project, current.Task, current.PinnedPaths);
        return Changed(current, laidOut, pins, now);
    }

    /// <summary>
    /// A pin that changes alone (a client writes the value the field already shows) is not
    /// written: the field shows the same either way until the templates change.
    /// </summary>
    private static AppliedPatch Changed(StoredTask current, TaskItem updated, PinnedPaths pins, DateTime now)
    {
        var changes = Diff(current.Task, updated);
        return new AppliedPatch(
            changes.Count == 0 ? current : current with { Task = updated with { UpdatedAt = Stored(now), Revision = current.Task.Revision + 1 }, PinnedPaths = pins },
            changes);
    }

    /// <summary>Archiving keeps the status so a restore can put it back; an archived task stays as it is.</summary>
    public static StoredTask Archive(StoredTask current, DateTime now) =>
        current.Task.Status == TaskRules.Archived
            ? current
            : current with
            {
                Task = current.Task with { Status = TaskRules.Archived, UpdatedAt = Stored(now), Revision = current.Task.Revision + 1 },
                StatusBeforeArchive = current.Task.Status,
            };

    public static StoredTask Restore(StoredTask archived, Project project, DateTime now) => archived with
    {
        Task = archived.Task with
        {
            Status = archived.StatusBeforeArchive ?? TaskRules.DefaultStatus(project, archived.Task.Task),
            UpdatedAt = Stored(now),
            Revision = archived.Task.Revision + 1,
        },
        StatusBeforeArchive = null,
    };

    /// <summary>
    /// The wire fields whose value differs, with their new value (camelCase keys, as clients
    /// see them); <c>updatedAt</c> and <c>revision</c> are left out since every change moves them.
    /// </summary>
    public static Dictionary<string, JsonElement> Diff(TaskItem before, TaskItem after)
    {
        var old = JsonSerializer.SerializeToElement(before, WireJson.Default);
        var changes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in JsonSerializer.SerializeToElement(after, WireJson.Default).EnumerateObject())
        {
            if (property.Name is not ("updatedAt" or "revision") && !JsonElement.DeepEquals(old.GetProperty(property.Name), property.Value))
            {
                changes[property.Name] = property.Value;
            }
        }

        return changes;
    }

    private static TaskItem WithCleanNames(TaskItem task) => task with
    {
        EpisodeClean = TaskRules.Clean(task.Episode),
        SequenceClean = TaskRules.Clean(task.Sequence),
        ShotClean = TaskRules.Clean(task.Shot),
    };
}
