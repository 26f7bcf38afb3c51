using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Paths;

/// <summary>The path builder's three questions: where does this go, where do these go, what is this path.</summary>
public sealed class PathBuilder(ProjectQueries projects, TaskQueries tasks, TaskListing listing)
{
    public async Task<(PathGeneration? Path, ApiError? Error)> GenerateAsync(GeneratePathRequest request, CancellationToken ct)
    {
        // Server admins pass the access check for any id, so only the database knows whether it exists.
        if (await projects.FindAsync(request.ProjectId!, ct) is not { } project)
        {
            return (null, ProjectResolver.ProjectNotFound(request.ProjectId!));
        }

        var problems = new ValidationProblems();
        var os = ReadOs(request.Os, problems);
        var (template, pattern) = Choose(project, request.TemplateType, request.FilenamePattern, problems);
        if (request.TaskData is null && request.TaskId is null)
        {
            problems.Add("taskData", "Give taskData, a taskId, or both", ErrorCodes.RequiredField);
        }

        var values = PathValues.Empty;
        if (request.TaskId is not null)
        {
            if (await FindTaskAsync(project, request.TaskId, ct) is not { } task)
            {
                return (null, ApiError.NotFound($"Task {Quote.Of(request.TaskId)} not found in project {Quote.Of(project.Id)}"));
            }

            values = PathValues.Read(PathValues.OfTask(task), "taskId", problems);
        }

        values = values.With(PathValues.Read(request.TaskData ?? [], "taskData", problems));
        if (problems.Any)
        {
            return (null, problems.ToError());
        }

        return PathRenderer.Render(project, template!, pattern, values, os, "taskData", problems) is { } path
            ? (PathGeneration.From(path, template!.Name, pattern?.Name), null)
            : (null, problems.ToError());
    }

    public async Task<(PathBatch? Batch, ApiError? Error)> BatchAsync(BatchPathRequest request, Caller caller, CancellationToken ct)
    {
        if (await projects.FindAsync(request.ProjectId!, ct) is not { } project)
        {
            return (null, ProjectResolver.ProjectNotFound(request.ProjectId!));
        }

        var problems = new ValidationProblems();
        var os = ReadOs(request.Os, problems);
        var (template, pattern) = Choose(project, request.TemplateType, request.FilenamePattern, problems);
        if ((request.TaskIds is null) == (request.Filters is null))
        {
            problems.Add("taskIds", "Give either taskIds or filters", ErrorCodes.RequiredField);
        }
        else if (request.TaskIds?.Any(string.IsNullOrEmpty) == true)
        {
            problems.Add("taskIds", "Task ids must not be null or empty");
        }

        if (problems.Any)
        {
            return (null, problems.ToError());
        }

        var found = request.TaskIds is { } ids
            ? await tasks.FindManyAsync(ids, ct)
            : await MatchingAsync(request.Filters!.ToFilters(project.Id), caller, ct);
        if (found is null)
        {
            return (null, ApiError.Validation(new FieldError("filters", $"The filters match more than {PathLimits.BatchTasks} tasks; narrow them", ErrorCodes.OutOfRange)));
        }

        var results = new List<(PathBatchItem Camel, PathBatchItem Snake)>();
        foreach (var id in request.TaskIds?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal) ?? found.Keys.Order(StringComparer.Ordinal))
        {
            results.Add(Item(id, found.GetValueOrDefault(id)));
        }

        return (new PathBatch(template!.Name, pattern?.Name, results.Count, results.Count(r => r.Camel.Error is not null), results.Select(r => r.Camel).ToList())
        { SnakeResults = results.Select(r => r.Snake).ToList() }, null);

        (PathBatchItem, PathBatchItem) Item(string id, TaskItem? task)
        {
            if (task is null || task.ProjectId != project.Id)
            {
                var missing = new PathBatchItem { TaskId = id, Error = new BulkItemError(id, $"Task {Quote.Of(id)} not found in project {Quote.Of(project.Id)}", ErrorCodes.NotFound, []) };
                return (missing, missing);
            }

            var itemProblems = new ValidationProblems();
            var values = PathValues.Read(PathValues.OfTask(task), "task", itemProblems);
            if (!itemProblems.Any && PathRenderer.Render(project, template!, pattern, values, os, "task", itemProblems) is { } path)
            {
                return (new PathBatchItem { TaskId = id, GeneratedPath = path.Path, Components = PathComponents.Camel(path.Components) },
                    new PathBatchItem { TaskId = id, GeneratedPath = path.Path, Components = PathComponents.Snake(path.Components) });
            }

            var error = itemProblems.ToError();
            var failed = new PathBatchItem { TaskId = id, Error = new BulkItemError(id, error.Message, error.Code, error.Details) };
            return (failed, failed);
        }
    }

    public async Task<(PathValidation? Reading, ApiError? Error)> ValidateAsync(string? path, string? projectId, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (string.IsNullOrEmpty(path))
        {
            problems.Required("path");
        }

        if (string.IsNullOrEmpty(projectId))
        {
            problems.Required("project_id");
        }

        problems.MaxLength("path", path, PathLimits.PathLength);
        if (problems.Any)
        {
            return (null, problems.ToError());
        }

        if (ProjectAccess.Check(caller, projectId!, ProjectPermission.Read) is { } hidden)
        {
            return (null, hidden);
        }

        return await projects.FindAsync(projectId!, ct) is { } project
            ? (PathValidation.From(PathMatcher.Read(project, path!)), null)
            : (null, ProjectResolver.ProjectNotFound(projectId!));
    }

    private async Task<TaskItem?> FindTaskAsync(Project project, string id, CancellationToken ct) =>
        await tasks.FindAsync(id, ct) is { } json && json.ToTask() is { } task && task.ProjectId == project.Id ? task : null;

    /// <summary>The tasks matching the filters; null when more than a batch may hold.</summary>
    private async Task<IReadOnlyDictionary<string, TaskItem>?> MatchingAsync(TaskFilters filters, Caller caller, CancellationToken ct)
    {
        var sort = TaskSort.Parse(null, null, new ValidationProblems());
        var (items, total, _) = await listing.ListAsync(filters, ProjectAccess.Readable(caller), sort, new PageRequest(1, PathLimits.BatchTasks, null), null, ct);
        return total > PathLimits.BatchTasks ? null : items.ToDictionary(t => t.Id, t => t.Task.ToTask(), StringComparer.Ordinal);
    }

    private static (PathTemplate? Template, PathTemplate? Pattern) Choose(Project project, string? templateType, string? filenamePattern, ValidationProblems problems)
    {
        PathTemplate? template = null;
        if (string.IsNullOrEmpty(templateType))
        {
            problems.Required("templateType");
        }
        else if (project.Templates.TryGetValue(templateType, out var text))
        {
            template = PathTemplate.Parse(templateType, text, out _);
        }
        else
        {
            problems.Add("templateType", $"Project {Quote.Of(project.Id)} has no template {Quote.Of(templateType)}; it has {Names(project.Templates)}");
        }

        PathTemplate? pattern = null;
        if (filenamePattern is not null)
        {
            pattern = project.FilenamePatterns.TryGetValue(filenamePattern, out var patternText)
                ? PathTemplate.Parse(filenamePattern, patternText, out _)
                : null;
            if (pattern is null)
            {
                problems.Add("filenamePattern", $"Project {Quote.Of(project.Id)} has no filename pattern {Quote.Of(filenamePattern)}; it has {Names(project.FilenamePatterns)}");
            }
        }

        return (template, pattern);
    }

    private static string Names(IReadOnlyDictionary<string, string> templates) =>
        templates.Count == 0 ? "none" : string.Join(", ", templates.Keys.Order(StringComparer.Ordinal));

    private static PathOs? ReadOs(string? os, ValidationProblems problems)
    {
        if (os is null)
        {
            return null;
        }

        if (Enum.TryParse<PathOs>(os, ignoreCase: true, out var parsed) && !int.TryParse(os, out _))
        {
            return parsed;
        }

        problems.Add("os", "os must be windows, linux or macos");
        return null;
    }
}
