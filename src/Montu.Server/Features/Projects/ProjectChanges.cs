using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Projects;

/// <summary>Builds a valid project from a create request, or applies a partial update to one.</summary>
public static class ProjectChanges
{
    public static Project? Create(CreateProjectRequest request, DateTime now, ValidationProblems problems)
    {
        ProjectRules.CheckId(request.Id, problems);
        ProjectRules.CheckName(request.Name, problems);
        if (request.DriveMapping is null)
        {
            problems.Required("driveMapping");
        }

        var project = new Project(
            request.Id ?? "",
            request.Name?.Trim() ?? "",
            request.Description ?? "",
            ProjectRules.Active,
            request.DriveMapping ?? new DriveMapping(),
            PathSegments.Defaults.MergedWith(request.PathSegments),
            request.Templates ?? [],
            request.FilenamePatterns ?? [],
            request.TaskTypes ?? [],
            request.Milestones ?? ProjectRules.DefaultMilestones,
            request.PriorityLevels ?? ProjectRules.DefaultPriorityLevels,
            request.TaskStatuses ?? ProjectRules.DefaultTaskStatuses,
            request.DoneStatuses ?? ProjectRules.DefaultDoneStatuses(request.TaskStatuses ?? ProjectRules.DefaultTaskStatuses),
            (request.TaskTypeStatuses ?? []).ToDictionary(e => e.Key, e => (IReadOnlyList<string>)(e.Value ?? [])),
            request.ApprovalStatusMap ?? [],
            request.RootMappings ?? [],
            request.NamingRules ?? [],
            request.RequireIfMatch ?? false,
            1,
            now,
            now);
        if (request.TaskTypes is null)
        {
            problems.Required("taskTypes");
        }

        CheckConfiguration(project, problems, checkDrives: request.DriveMapping is not null);
        return problems.Any ? null : project;
    }

    public static Project? Update(Project current, UpdateProjectRequest change, DateTime now, ValidationProblems problems)
    {
        if (change.Name is not null)
        {
            ProjectRules.CheckName(change.Name, problems);
        }

        if (change.Status is not null && change.Status is not (ProjectRules.Active or ProjectRules.Completed))
        {
            problems.Add("status", "Status must be 'active' or 'completed'; archive with DELETE /projects/{id}");
        }

        var updated = current with
        {
            Name = change.Name?.Trim() ?? current.Name,
            Description = change.Description ?? current.Description,
            Status = change.Status ?? current.Status,
            DriveMapping = current.DriveMapping.MergedWith(change.DriveMapping),
            PathSegments = current.PathSegments.MergedWith(change.PathSegments),
            Templates = MergePatch(current.Templates, change.Templates),
            FilenamePatterns = MergePatch(current.FilenamePatterns, change.FilenamePatterns),
            TaskTypes = change.TaskTypes ?? current.TaskTypes,
            Milestones = change.Milestones ?? current.Milestones,
            PriorityLevels = change.PriorityLevels ?? current.PriorityLevels,
            TaskStatuses = change.TaskStatuses ?? current.TaskStatuses,
            // A status taken out of the list stops counting as done; clients that edit the vocabulary know nothing of doneStatuses.
            DoneStatuses = change.DoneStatuses ?? [.. current.DoneStatuses.Where((change.TaskStatuses ?? current.TaskStatuses).Contains)],
            TaskTypeStatuses = PruneTaskTypeStatuses(current, change),
            ApprovalStatusMap = MergePatch(current.ApprovalStatusMap, change.ApprovalStatusMap),
            RootMappings = MergePatch(current.RootMappings, change.RootMappings),
            NamingRules = MergePatch(current.NamingRules, change.NamingRules),
            RequireIfMatch = change.RequireIfMatch ?? current.RequireIfMatch,
            Revision = current.Revision + 1,
            UpdatedAt = now,
        };
        CheckConfiguration(updated, problems, checkDrives: true);
        return problems.Any ? null : updated;
    }

    /// <summary>The values each vocabulary loses in this update: tasks may still use them.</summary>
    public static IEnumerable<(TaskVocabularyColumn Column, string Field, IReadOnlyList<string> Removed)> RemovedVocabulary(Project before, Project after)
    {
        yield return (TaskVocabularyColumn.TaskType, "taskTypes", before.TaskTypes.Except(after.TaskTypes).ToList());
        yield return (TaskVocabularyColumn.Status, "taskStatuses", before.TaskStatuses.Except(after.TaskStatuses).ToList());
        yield return (TaskVocabularyColumn.Priority, "priorityLevels", before.PriorityLevels.Except(after.PriorityLevels).ToList());
        yield return (TaskVocabularyColumn.Milestone, "milestones", before.Milestones.Except(after.Milestones).ToList());
    }

    /// <summary>
    /// The merge of the change, then pruned the way doneStatuses is when the change does not set the map
    /// itself: a task type or status taken out of the vocabulary leaves it too, and a type left with no
    /// status takes them all again. Clients that edit the vocabulary know nothing of this map.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<string>> PruneTaskTypeStatuses(Project current, UpdateProjectRequest change)
    {
        var merged = new Dictionary<string, IReadOnlyList<string>>(current.TaskTypeStatuses);
        foreach (var (type, statuses) in change.TaskTypeStatuses ?? [])
        {
            if (statuses is null)
            {
                merged.Remove(type);
            }
            else
            {
                merged[type] = statuses;
            }
        }

        var types = change.TaskTypes ?? current.TaskTypes;
        var vocabulary = change.TaskStatuses ?? current.TaskStatuses;
        foreach (var (type, statuses) in merged.Where(e => !(change.TaskTypeStatuses?.ContainsKey(e.Key) ?? false)).ToList())
        {
            IReadOnlyList<string> kept = [.. statuses.Where(vocabulary.Contains)];
            if (!types.Contains(type) || kept.Count == 0)
            {
                merged.Remove(type);
            }
            else
            {
                merged[type] = kept;
            }
        }

        return merged;
    }

    private static void CheckConfiguration(Project project, ValidationProblems problems, bool checkDrives)
    {
        ProjectRules.CheckDescription(project.Description, problems);
        if (checkDrives)
        {
            ProjectRules.CheckDriveMapping(project.DriveMapping, problems);
        }

        ProjectRules.CheckPathSegments(project.PathSegments, problems);
        ProjectRules.CheckTemplates(project.Templates, "templates", allowFilename: true, problems);
        ProjectRules.CheckTemplates(project.FilenamePatterns, "filenamePatterns", allowFilename: false, problems);
        ProjectRules.CheckVocabulary(project.TaskTypes, "taskTypes", problems);
        ProjectRules.CheckVocabulary(project.Milestones, "milestones", problems);
        ProjectRules.CheckVocabulary(project.PriorityLevels, "priorityLevels", problems);
        ProjectRules.CheckVocabulary(project.TaskStatuses, "taskStatuses", problems);
        ProjectRules.CheckDoneStatuses(project, problems);
        ProjectRules.CheckTaskTypeStatuses(project, problems);
        ProjectRules.CheckApprovalStatusMap(project, problems);
        ProjectRules.CheckRootMappings(project.RootMappings, problems);
        ProjectRules.CheckNamingRules(project.NamingRules, problems);
    }

    /// <summary>RFC 7396 on a flat map: a key set to null is removed, others are set.</summary>
    private static Dictionary<string, T> MergePatch<T>(IReadOnlyDictionary<string, T> current, Dictionary<string, T?>? patch)
        where T : class
    {
        var merged = new Dictionary<string, T>(current);
        foreach (var (key, value) in patch ?? [])
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        return merged;
    }
}
