using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Montu.Server.Data;
using Montu.Server.Features.Paths;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.WorkFiles;

/// <summary>The result of a version write: the answer, or why it was refused.</summary>
public sealed record VersionOutcome<T>(T? Value, ApiError? Error) where T : class
{
    public static implicit operator VersionOutcome<T>(T value) => new(value, null);

    public static implicit operator VersionOutcome<T>(ApiError error) => new(null, error);
}

/// <summary>
/// Allocating and publishing a task's work-file versions (docs/decisions/0034). Each is one
/// transaction with the task row locked: the allocation row, the task's new <c>versions</c>,
/// <c>currentVersion</c> or <c>publishedVersion</c> (applied as a patch, so the task changes as
/// a PATCH would change it) and its <c>task_updated</c> event.
/// </summary>
public sealed class WorkFileVersions(Db db, TaskQueries tasks, ProjectQueries projects, WorkFileQueries versions, EventLog events, TimeProvider time)
{
    public Task<VersionOutcome<WorkFileVersion>> AllocateAsync(string taskId, AllocateVersionRequest request, TaskGuard guard, IfMatch ifMatch, CancellationToken ct)
    {
        if (request.Comment?.Length > InputLimits.TextLength)
        {
            var problems = new ValidationProblems();
            problems.MaxLength("comment", request.Comment, InputLimits.TextLength);
            return Task.FromResult<VersionOutcome<WorkFileVersion>>(problems.ToError());
        }

        return db.InTransactionAsync<VersionOutcome<WorkFileVersion>>(async tx =>
        {
            var found = await FindEditableAsync(tx, taskId, guard, ifMatch, ct);
            if (found.Error is { } refused)
            {
                return refused;
            }

            var (current, project) = (found.Current!, found.Project!);
            if (current.Task.Versions.Count >= InputLimits.VersionsCount)
            {
                return ApiError.BusinessRule($"Task {Quote.Of(taskId)} has {current.Task.Versions.Count} versions, the most a task holds");
            }

            var number = 1 + Math.Max(await versions.HighestAsync(tx, taskId, ct), Number(current.Task.CurrentVersion) ?? 0);
            if (number > InputLimits.MaxVersionNumber)
            {
                return ApiError.BusinessRule($"Task {Quote.Of(taskId)} is at its last version number, v{InputLimits.MaxVersionNumber}");
            }

            var label = Label(number);
            var row = new VersionRow { Number = number, CreatedBy = guard.UserId, CreatedAt = TaskChanges.Stored(time.GetUtcNow().UtcDateTime), Comment = request.Comment };
            var patch = new JsonObject
            {
                ["versions"] = new JsonArray([.. current.Task.Versions.Select(v => JsonNode.Parse(v.GetRawText())), JsonValue.Create(label)]),
                ["currentVersion"] = label,
            };
            var applied = await ApplyAsync(tx, current, project, patch, guard, ct);
            if (applied.Error is { } invalid)
            {
                return invalid;
            }

            await versions.InsertAsync(tx, taskId, row, ct);
            return ToVersion(project, applied.Task!, row);
        }, ct);
    }

    public Task<VersionOutcome<TaskItem>> PublishAsync(string taskId, string version, TaskGuard guard, IfMatch ifMatch, CancellationToken ct)
    {
        if (Number(version) is not { } number)
        {
            return Task.FromResult<VersionOutcome<TaskItem>>(ApiError.Validation(
                new FieldError("version", "A version is a number, with or without 'v' (v003, 3 or 003)", ErrorCodes.InvalidFormat)));
        }

        return db.InTransactionAsync<VersionOutcome<TaskItem>>(async tx =>
        {
            var found = await FindEditableAsync(tx, taskId, guard, ifMatch, ct);
            if (found.Error is { } refused)
            {
                return refused;
            }

            if (!await versions.ExistsAsync(tx, taskId, number, ct))
            {
                return ApiError.NotFound($"Task {Quote.Of(taskId)} has no version {Label(number)}: allocate it with POST /tasks/{{id}}/versions");
            }

            var result = await ApplyAsync(tx, found.Current!, found.Project!, new JsonObject { ["publishedVersion"] = Label(number) }, guard, ct);
            return result.Error is { } error ? error : result.Task!;
        }, ct);
    }

    public async Task<WorkFileVersionList?> ListAsync(string taskId, CancellationToken ct)
    {
        if (await tasks.FindAsync(taskId, ct) is not { } json)
        {
            return null;
        }

        var task = json.ToTask();
        var project = (await projects.FindAsync(task.ProjectId, ct))!;
        var rows = await versions.ListAsync(taskId, ct);
        return new WorkFileVersionList(task.Id, task.CurrentVersion, task.PublishedVersion, rows.Select(r => ToVersion(project, task, r)).ToList());
    }

    /// <summary>The number of <c>v003</c>, <c>3</c> or <c>003</c>; null for anything else.</summary>
    public static int? Number(string? version) =>
        PathValues.Read([new(PathPlaceholders.Version, version)], "version", new ValidationProblems()).Get(PathPlaceholders.Version) is { } digits
            ? int.Parse(digits, CultureInfo.InvariantCulture)
            : null;

    private static string Label(int number) => PathValues.VersionLabel(number.ToString("D3", CultureInfo.InvariantCulture));

    private static WorkFileVersion ToVersion(Project project, TaskItem task, VersionRow row)
    {
        var label = Label(row.Number);
        var paths = TaskPaths.Render(project, task, label);
        return new WorkFileVersion(task.Id, label, paths.WorkingFilePath, paths.Filename, paths.RenderOutputPath, paths.MediaFilePath,
            row.CreatedBy, row.CreatedAt, row.Comment, Number(task.PublishedVersion) == row.Number, task.Revision);
    }

    private sealed record Found(StoredTask? Current, Project? Project, ApiError? Error);

    private sealed record Applied(TaskItem? Task, ApiError? Error);

    /// <summary>The task locked for the write, if the caller may change it now: 404, 403, 412 and 422 as for a PATCH.</summary>
    private async Task<Found> FindEditableAsync(DbTransaction tx, string taskId, TaskGuard guard, IfMatch ifMatch, CancellationToken ct)
    {
        if (await tasks.FindForUpdateAsync(tx, taskId, ct) is not var (current, project))
        {
            return new Found(null, null, TaskWriter.NotFound(taskId));
        }

        var refused = guard.MayEdit(current.Task)
            ?? ifMatch.Check(current.Task.Revision, $"Task {Quote.Of(taskId)}")
            ?? TaskWriter.CheckEditable(current, project);
        return new Found(current, project, refused);
    }

    /// <summary>Applies <paramref name="patch"/> as a PATCH would, writing the task and its event when it changes anything.</summary>
    private async Task<Applied> ApplyAsync(DbTransaction tx, StoredTask current, Project project, JsonObject patch, TaskGuard guard, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var input = TaskInput.Parse(JsonSerializer.SerializeToElement(patch), TaskInputKind.Patch, problems);
        if (problems.Any || TaskChanges.Apply(current, input, project, time.GetUtcNow().UtcDateTime, problems) is not { } applied)
        {
            return new Applied(null, problems.ToError());
        }

        if (applied.Changes.Count > 0)
        {
            await events.AppendAsync(tx, tasks.Update(current, applied.Stored, project),
                TaskEvents.Update(current.Task, applied.Task, applied.Changes, guard.UserId), ct);
        }

        return new Applied(applied.Task, null);
    }
}
