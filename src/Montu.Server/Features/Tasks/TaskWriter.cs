using System.Data.Common;
using System.Text.Json;
using Montu.Server.Data;
using Montu.Server.Features.Notifications;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Tasks;

/// <summary>The result of one task write: the task as it now is, or why the write was refused.</summary>
public sealed record TaskOutcome(TaskItem? Task, ApiError? Error)
{
    public static implicit operator TaskOutcome(TaskItem task) => new(task, null);

    public static implicit operator TaskOutcome(ApiError error) => new(null, error);
}

/// <summary>Writes a task's board position within its move's transaction (<see cref="TaskWriter.MoveAsync"/>); an error refuses the move.</summary>
public delegate Task<ApiError?> TaskPlacement(DbTransaction transaction, TaskItem task, bool changed);

/// <summary>
/// Every single-task write: validate against the project, change the row and append its one
/// event in the same transaction. Bulk writes and importers reuse <see cref="TaskChanges"/>
/// and <see cref="CheckEditable"/> so a task is checked the same way everywhere.
/// </summary>
public sealed class TaskWriter(Db db, TaskQueries tasks, ProjectQueries projects, EventLog events, TimeProvider time)
{
    public async Task<TaskOutcome> CreateAsync(JsonElement body, string? userId, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var input = TaskInput.Parse(body, TaskInputKind.Create, problems);
        if (input.ProjectId is null && !problems.Errors.Any(e => e.Field == "projectId"))
        {
            problems.Required("projectId");
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        var attemptedId = input.Id;
        try
        {
            return await db.InTransactionAsync<TaskOutcome>(async tx =>
            {
                var project = await projects.FindAsync(tx.Connection!, input.ProjectId!, ct, tx);
                if (project is null)
                {
                    return ApiError.Validation($"Project {Quote.Of(input.ProjectId)} not found",
                        new FieldError("projectId", $"Project {Quote.Of(input.ProjectId)} not found", ErrorCodes.InvalidValue));
                }

                if (project.Status == ProjectRules.Archived)
                {
                    return ProjectArchived(project);
                }

                if (TaskChanges.Create(input, project, time.GetUtcNow().UtcDateTime, userId, problems) is not { } created)
                {
                    return problems.ToError();
                }

                var task = created.Task;
                attemptedId = task.Id;
                if (await tasks.OwnerAsync(tx, task.Id, ct) is { } owner)
                {
                    // Two shows named alike derive the same ids; the second gets its code in front.
                    if (input.Id is not null || owner == project.Id)
                    {
                        return Duplicate(task.Id);
                    }

                    if (TaskRules.WithProjectCode(task.Id, project, problems) is not { } prefixed)
                    {
                        return problems.ToError();
                    }

                    task = task with { Id = attemptedId = prefixed };
                    if (await tasks.OwnerAsync(tx, task.Id, ct) is not null)
                    {
                        return Duplicate(task.Id);
                    }
                }

                await tasks.InsertAsync(tx, created with { Task = task }, project, ct);
                await events.AppendAsync(tx, new NewEvent("task_created", project.Id, "task", task.Id, new { task }, userId)
                {
                    Notices = TaskNotices.Changed(null, task),
                }, ct);
                return task;
            }, ct);
        }
        catch (DbException e) when (Db.IsUniqueViolation(e))
        {
            // Another request created the same id between our check and our insert.
            return Duplicate(attemptedId!);
        }
    }

    /// <summary>
    /// PATCH and PUT: only the fields sent change; unknown keys land in <c>customFields</c>. With
    /// <paramref name="merge"/>, a stale If-Match is merged field by field (<see cref="TaskMerge"/>).
    /// </summary>
    public Task<TaskOutcome> UpdateAsync(string id, JsonElement body, TaskGuard guard, IfMatch ifMatch, bool merge, CancellationToken ct) =>
        ChangeAsync(id, body, TaskInputKind.Patch, guard, ifMatch, merge, ct);

    /// <summary>
    /// <c>POST /tasks/{id}/move</c>: <paramref name="fields"/> (status, artist) change as in a PATCH,
    /// with its checks and event; <paramref name="place"/> then writes the board position in the
    /// same transaction, told whether the task itself changed, and may still refuse the move.
    /// </summary>
    public Task<TaskOutcome> MoveAsync(string id, JsonElement fields, TaskGuard guard, IfMatch ifMatch, TaskPlacement place, CancellationToken ct) =>
        ChangeAsync(id, fields, TaskInputKind.Patch, guard, ifMatch, merge: false, ct, place);

    /// <summary><c>POST /tasks/{id}/add-field</c>: every key of the body is merged into <c>customFields</c>.</summary>
    public Task<TaskOutcome> AddFieldsAsync(string id, JsonElement body, TaskGuard guard, IfMatch ifMatch, CancellationToken ct) =>
        ChangeAsync(id, body, TaskInputKind.AddField, guard, ifMatch, merge: false, ct);

    public Task<TaskOutcome> ArchiveAsync(string id, IfMatch ifMatch, string? userId, CancellationToken ct) =>
        db.InTransactionAsync<TaskOutcome>(async tx =>
        {
            if (await tasks.FindForUpdateAsync(tx, id, ct) is not var (current, project))
            {
                return NotFound(id);
            }

            if (ifMatch.Check(current.Task.Revision, $"Task {Quote.Of(id)}") is { } stale)
            {
                return stale;
            }

            if (current.Task.Status == TaskRules.Archived)
            {
                return current.Task;
            }

            var archived = TaskChanges.Archive(current, time.GetUtcNow().UtcDateTime);
            await events.AppendAsync(tx, tasks.Update(current, archived, project), TaskEvents.Archive(current.Task, archived.Task, userId), ct);
            return archived.Task;
        }, ct);

    public Task<TaskOutcome> RestoreAsync(string id, IfMatch ifMatch, string? userId, CancellationToken ct) =>
        db.InTransactionAsync<TaskOutcome>(async tx =>
        {
            if (await tasks.FindForUpdateAsync(tx, id, ct) is not var (current, project))
            {
                return NotFound(id);
            }

            if (ifMatch.Check(current.Task.Revision, $"Task {Quote.Of(id)}") is { } stale)
            {
                return stale;
            }

            if (current.Task.Status != TaskRules.Archived)
            {
                return ApiError.BusinessRule($"Task {Quote.Of(id)} is not archived");
            }

            var restored = TaskChanges.Restore(current, project, time.GetUtcNow().UtcDateTime);
            await events.AppendAsync(tx, tasks.Update(current, restored, project), TaskEvents.Restore(current.Task, restored.Task, userId), ct);
            return restored.Task;
        }, ct);

    /// <summary>
    /// Checks that <paramref name="current"/> may be edited at all: archived tasks and tasks of
    /// archived projects are read-only until restored.
    /// </summary>
    public static ApiError? CheckEditable(StoredTask current, Project project)
    {
        if (current.Task.Status == TaskRules.Archived)
        {
            return ApiError.BusinessRule($"Task {Quote.Of(current.Task.Id)} is archived; restore it before editing");
        }

        return project.Status == ProjectRules.Archived ? ProjectArchived(project) : null;
    }

    public static ApiError NotFound(string id) => ApiError.NotFound($"Task {Quote.Of(id)} not found");

    private async Task<TaskOutcome> ChangeAsync(string id, JsonElement body, TaskInputKind kind, TaskGuard guard, IfMatch ifMatch, bool merge, CancellationToken ct, TaskPlacement? place = null)
    {
        var problems = new ValidationProblems();
        var input = TaskInput.Parse(body, kind, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        return await db.InTransactionAsync<TaskOutcome>(async tx =>
        {
            if (await tasks.FindForUpdateAsync(tx, id, ct) is not var (current, project))
            {
                return NotFound(id);
            }

            if (guard.MayEdit(current.Task) is { } denied)
            {
                return denied;
            }

            var mergeFrom = merge && ifMatch.BaseRevision != current.Task.Revision ? ifMatch.BaseRevision : null;
            if (mergeFrom is null && ifMatch.Check(current.Task.Revision, $"Task {Quote.Of(id)}") is { } stale)
            {
                return stale;
            }

            if (CheckEditable(current, project) is { } refused)
            {
                return refused;
            }

            if (TaskChanges.Apply(current, input, project, time.GetUtcNow().UtcDateTime, problems) is not { } patch)
            {
                return problems.ToError();
            }

            if (guard.MayApply(current.Task, patch.Task) is { } forbidden)
            {
                return forbidden;
            }

            if (mergeFrom is { } baseRevision)
            {
                if (await TaskHistory.BaseValuesAsync(tx, current.Task, baseRevision, ct) is not { } baseValues)
                {
                    return TaskMerge.BaseUnknown(current.Task, baseRevision);
                }

                if (TaskMerge.Conflicts(current.Task, patch.Task, input, baseRevision, baseValues) is { Count: > 0 } conflicts)
                {
                    return TaskMerge.Conflict(id, conflicts);
                }
            }

            if (place is not null && await place(tx, patch.Task, patch.Changes.Count > 0) is { } misplaced)
            {
                return misplaced;
            }

            if (patch.Changes.Count == 0)
            {
                return patch.Task;
            }

            await events.AppendAsync(tx, tasks.Update(current, patch.Stored, project),
                TaskEvents.Update(current.Task, patch.Task, patch.Changes, guard.UserId), ct);
            return patch.Task;
        }, ct);
    }

    private static ApiError ProjectArchived(Project project) =>
        ApiError.BusinessRule($"Project {Quote.Of(project.Id)} is archived; restore it before changing its tasks");

    private static ApiError Duplicate(string id) =>
        ApiError.Conflict($"A task with id {Quote.Of(id)} already exists", new FieldError("id", "Task id is taken", ErrorCodes.DuplicateValue));
}
