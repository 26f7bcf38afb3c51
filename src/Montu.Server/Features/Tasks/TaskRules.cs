using System.Text;
using System.Text.RegularExpressions;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Tasks;

/// <summary>What makes a task valid against its project, and the values derived from its names.</summary>
public static partial class TaskRules
{
    public const string Shot = "shot";
    public const string Asset = "asset";
    public const string Archived = "archived";

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    public static partial Regex IdFormat();

    /// <summary>The status a new task of <paramref name="taskType"/> starts in: not_started when its type may take it, else the first it may.</summary>
    public static string DefaultStatus(Project project, string? taskType) =>
        DefaultOf(ProjectRules.StatusesOf(project, taskType), "not_started");

    public static string DefaultPriority(Project project) => DefaultOf(project.PriorityLevels, "medium");

    /// <summary>Priority sorts by the project's level order (low &lt; medium &lt; high &lt; urgent), not alphabetically.</summary>
    public static int PriorityRank(Project project, string priority)
    {
        var levels = project.PriorityLevels;
        for (var rank = 0; rank < levels.Count; rank++)
        {
            if (levels[rank] == priority)
            {
                return rank;
            }
        }

        return levels.Count;
    }

    /// <summary>
    /// The folder-safe form of a name (docs/api.md §Paths): lowercased, spaces to <c>_</c>,
    /// characters outside <c>[a-z0-9._-]</c> dropped.
    /// </summary>
    public static string? Clean(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var clean = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (c == ' ')
            {
                clean.Append('_');
            }
            else if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-')
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    /// <summary><c>{episode}_{sequence}_{shot}_{task}</c> or <c>{asset}_{task}</c>, from the clean forms so it is always a valid id.</summary>
    public static string DerivedId(TaskItem task) => task.Type == Asset
        ? $"{Clean(task.Asset)}_{Clean(task.Task)}"
        : $"{Clean(task.Episode)}_{Clean(task.Sequence)}_{Clean(task.Shot)}_{Clean(task.Task)}";

    /// <summary>
    /// A derived id another project already has, with this project's code in front, lowercased
    /// (<c>dmo_ep01_sq010_sh020_lighting</c>); null, with the problem, when that is too long for an id.
    /// </summary>
    public static string? WithProjectCode(string derivedId, Project project, ValidationProblems problems)
    {
        var id = $"{project.Id.ToLowerInvariant()}_{derivedId}";
        if (IdFormat().IsMatch(id))
        {
            return id;
        }

        problems.Add("id", $"Another project has the id derived from the names, and with the project's code in front, {Quote.Of(id)}, it is too long; send an id", ErrorCodes.InvalidFormat);
        return null;
    }

    /// <summary>What <c>search</c> matches: the lowercased names and description, split by a character no one types.</summary>
    public static string SearchText(TaskItem task) =>
        string.Join('\u001f', new[] { task.Id, task.Episode, task.Sequence, task.Shot, task.Asset, task.Task, task.Artist, task.Description }
            .Where(v => !string.IsNullOrEmpty(v))).ToLowerInvariant();

    /// <summary>
    /// Checks <paramref name="after"/> against its project. Vocabulary values are checked when
    /// they change (all of them when <paramref name="before"/> is null, on create), so an edit
    /// never fails on a field it does not touch.
    /// </summary>
    public static void Check(TaskItem? before, TaskItem after, Project project, ValidationProblems problems)
    {
        if (after.Type is not (Shot or Asset))
        {
            problems.Add("type", $"Type {Quote.Of(after.Type)} is not known; use 'shot' or 'asset'");
        }
        else if (after.Type == Shot)
        {
            RequireName(after.Episode, "episode", problems);
            RequireName(after.Sequence, "sequence", problems);
            RequireName(after.Shot, "shot", problems);
        }
        else
        {
            RequireName(after.Asset, "asset", problems);
        }

        if (string.IsNullOrWhiteSpace(after.Task))
        {
            problems.Required("task");
        }
        else if (before?.Task != after.Task)
        {
            CheckVocabulary(after.Task, "task", project.TaskTypes, "taskTypes", problems);
        }

        if (after.Status == Archived && before?.Status != Archived)
        {
            problems.Add("status", "A task is archived with DELETE /tasks/{id}, not by setting its status");
        }
        else if (after.Status != Archived && (before?.Status != after.Status || before?.Task != after.Task))
        {
            // A type with its own statuses (taskTypeStatuses) allows only those; a change of type is checked against the new type's.
            var typed = ProjectRules.StatusesOf(project, after.Task) != project.TaskStatuses;
            CheckVocabulary(after.Status, "status", ProjectRules.StatusesOf(project, after.Task),
                typed ? $"taskTypeStatuses.{after.Task}" : "taskStatuses", problems);
        }

        if (before?.Priority != after.Priority)
        {
            CheckVocabulary(after.Priority, "priority", project.PriorityLevels, "priorityLevels", problems);
        }

        if (after.Milestone is not null && before?.Milestone != after.Milestone)
        {
            CheckVocabulary(after.Milestone, "milestone", project.Milestones, "milestones", problems);
        }

        if (after.FrameRange is { } frames && frames.Start >= frames.End)
        {
            problems.Add("frameRange", "Frame range start must be less than end", ErrorCodes.OutOfRange);
        }

        // The sum of the task's time logs (decision 0037): a new task has none.
        if (before is null && after.ActualTimeLogged is > 0 and <= InputLimits.MaxHours)
        {
            problems.Add("actualTimeLogged", "A new task has no time logs, so its actualTimeLogged is 0; log hours with POST /tasks/{id}/time-logs once it exists",
                ErrorCodes.ReadOnlyField);
        }
    }

    private static void RequireName(string? value, string field, ValidationProblems problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(field, $"Field '{field}' is required for this task type", ErrorCodes.RequiredField);
        }
    }

    private static void CheckVocabulary(string value, string field, IReadOnlyList<string> allowed, string projectField, ValidationProblems problems)
    {
        if (!allowed.Contains(value))
        {
            problems.Add(field, $"{Quote.Of(value)} is not one of the project's {projectField}: {string.Join(", ", allowed)}");
        }
    }

    private static string DefaultOf(IReadOnlyList<string> values, string preferred) =>
        values.Contains(preferred) ? preferred : values[0];
}
