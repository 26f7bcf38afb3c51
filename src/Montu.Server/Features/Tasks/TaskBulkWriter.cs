using System.Text.Json;
using Montu.Server.Data;
using Montu.Server.Features.Breakdown;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// Both bulk endpoints. Each item is checked exactly as a single PATCH would be; valid items are
/// applied and the others reported, all in one transaction. The log gets one
/// <c>tasks_bulk_updated</c> event per project touched (one per request in practice), listing
/// the tasks that changed and each one's changes, so project channels receive it.
/// </summary>
public sealed class TaskBulkWriter(Db db, TaskQueries tasks, ProjectQueries projects, BreakdownNames breakdown, EventLog events, TimeProvider time)
{
    private static readonly string[] Operations = ["update_status", "assign", "update", "archive"];

    private delegate ItemOutcome Change(StoredTask current, Project project, DateTime now);

    /// <summary><c>PATCH /tasks/bulk-update</c> (v2.1): each item carries its own updates.</summary>
    public async Task<(BulkResult? Result, ApiError? Error)> UpdateEachAsync(IReadOnlyList<BulkUpdateItem?> items, TaskGuard guard, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        CheckSize(items.Count, "body", problems);
        for (var i = 0; i < items.Count && problems.Errors.Count < 20; i++)
        {
            if (string.IsNullOrWhiteSpace(items[i]?.TaskId))
            {
                problems.Required($"[{i}].taskId");
            }
            else if (items[i]!.Updates is { } updates && JsonText.FindUnstorable(updates, $"[{i}].updates") is { } notText)
            {
                problems.Add(notText);
            }

            problems.MaxLength($"[{i}].taskId", items[i]?.TaskId, InputLimits.TaskIdLength);
        }

        if (problems.Any)
        {
            return (null, problems.ToError());
        }

        var changes = items.Select(item => (item!.TaskId!, (Change)((current, project, now) =>
        {
            if (item.Updates is not { ValueKind: JsonValueKind.Object } updates)
            {
                return ApiError.Validation("Updates must be a JSON object", new FieldError("updates", "Updates must be a JSON object", ErrorCodes.InvalidType));
            }

            var itemProblems = new ValidationProblems();
            var input = TaskInput.Parse(updates, TaskInputKind.Patch, itemProblems);
            return itemProblems.Any ? itemProblems.ToError() : Patch(current, project, input, now, guard);
        }))).ToList();
        return (await RunAsync(changes, "bulk_update", guard.UserId, ct), null);
    }

    /// <summary><c>POST /tasks/bulk</c> (v2.0): one operation and one <c>data</c> object for every task.</summary>
    public async Task<(BulkResult? Result, ApiError? Error)> OperateAsync(BulkOperationRequest request, TaskGuard guard, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (request.TaskIds is null)
        {
            problems.Required("taskIds");
        }
        else
        {
            CheckSize(request.TaskIds.Count, "taskIds", problems);
            var blank = request.TaskIds.FindIndex(string.IsNullOrWhiteSpace);
            if (blank >= 0)
            {
                problems.Add($"taskIds[{blank}]", "Task ids must be non-empty strings", ErrorCodes.RequiredField);
            }

            var tooLong = request.TaskIds.FindIndex(id => id?.Length > InputLimits.TaskIdLength);
            if (tooLong >= 0)
            {
                problems.MaxLength($"taskIds[{tooLong}]", request.TaskIds[tooLong], InputLimits.TaskIdLength);
            }
        }

        var operation = request.Operation;
        if (operation is null)
        {
            problems.Required("operation");
        }
        else if (!Operations.Contains(operation))
        {
            problems.Add("operation", $"Operation must be one of: {string.Join(", ", Operations)}");
        }

        var input = operation is null or "archive" ? null : ReadData(request.Data, operation, problems);
        if (problems.Any)
        {
            return (null, problems.ToError());
        }

        Change change = input is null
            ? (current, _, now) => Archive(current, now, guard)
            : (current, project, now) => Patch(current, project, input, now, guard);
        var changes = request.TaskIds!.Distinct(StringComparer.Ordinal).Select(id => (id, change)).ToList();
        return (await RunAsync(changes, operation!, guard.UserId, ct), null);
    }

    private static TaskInput? ReadData(JsonElement? data, string operation, ValidationProblems problems)
    {
        var dataProblems = new ValidationProblems();
        var input = TaskInput.Parse(data ?? default, TaskInputKind.Patch, dataProblems);
        foreach (var error in dataProblems.Errors)
        {
            problems.Add(error.Field == "body" ? "data" : $"data.{error.Field}", error.Message, error.Code);
        }

        var needs = operation switch
        {
            "update_status" => "status",
            "assign" => "artist",
            _ => null,
        };
        if (!dataProblems.Any && needs is not null && !input.Fields.Any(f => f.Key == needs))
        {
            problems.Add($"data.{needs}", $"Operation {Quote.Of(operation)} needs data.{needs}", ErrorCodes.RequiredField);
        }

        return input;
    }

    private static ItemOutcome Patch(StoredTask current, Project project, TaskInput input, DateTime now, TaskGuard guard)
    {
        if ((guard.MayEdit(current.Task) ?? TaskWriter.CheckEditable(current, project)) is { } refused)
        {
            return refused;
        }

        var problems = new ValidationProblems();
        if (TaskChanges.Apply(current, input, project, now, problems) is not { } patch)
        {
            return problems.ToError();
        }

        if (guard.MayApply(current.Task, patch.Task) is { } forbidden)
        {
            return forbidden;
        }

        return patch.Stored;
    }

    private static ItemOutcome Archive(StoredTask current, DateTime now, TaskGuard guard) =>
        guard.MayArchive(current.Task) is { } denied ? denied : TaskChanges.Archive(current, now);

    private static void CheckSize(int count, string field, ValidationProblems problems)
    {
        if (count > InputLimits.BulkItems)
        {
            problems.Add(field, $"At most {InputLimits.BulkItems} tasks per request", ErrorCodes.OutOfRange);
        }
    }

    private Task<BulkResult> RunAsync(IReadOnlyList<(string TaskId, Change Change)> items, string operation, string? userId, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            var original = await tasks.FindManyForUpdateAsync(tx, items.Select(i => i.TaskId).ToHashSet(StringComparer.Ordinal), ct);
            var state = original.ToDictionary(StringComparer.Ordinal);
            var projectsById = new Dictionary<string, Project>(StringComparer.Ordinal);
            var errors = new List<BulkItemError>();
            var applied = new List<string>();
            foreach (var (taskId, change) in items)
            {
                if (!state.TryGetValue(taskId, out var current))
                {
                    errors.Add(new BulkItemError(taskId, "Task not found", ErrorCodes.NotFound, []));
                    continue;
                }

                if (!projectsById.TryGetValue(current.Task.ProjectId, out var project))
                {
                    project = (await projects.FindAsync(tx.Connection!, current.Task.ProjectId, ct, tx))!;
                    projectsById[project.Id] = project;
                }

                var outcome = change(current, project, now);
                if (outcome.Error is { } error)
                {
                    errors.Add(new BulkItemError(taskId, error.Message, error.Code, error.Details));
                    continue;
                }

                state[taskId] = outcome.Task!;
                applied.Add(taskId);
            }

            // A task listed twice is changed twice in memory but written once: one revision, like one event.
            var changed = state.Values.Where(t => !ReferenceEquals(t, original[t.Task.Id]))
                .Select(t => t with { Task = t.Task with { Revision = original[t.Task.Id].Task.Revision + 1 } })
                .OrderBy(t => t.Task.Id, StringComparer.Ordinal).ToList();
            await breakdown.EnsureAsync(tx, changed.Where(t => BreakdownNames.Moved(original[t.Task.Id].Task, t.Task)).Select(t => t.Task), userId, now, ct);
            foreach (var task in changed)
            {
                await tasks.UpdateAsync(tx, original[task.Task.Id], task, projectsById[task.Task.ProjectId], ct);
            }

            foreach (var group in changed.GroupBy(t => t.Task.ProjectId))
            {
                await events.AppendAsync(tx, TaskEvents.BulkUpdate(group.Key, group.Select(t => (original[t.Task.Id].Task, t.Task)).ToList(), operation, userId), ct);
            }

            return new BulkResult(items.Count - errors.Count, errors.Count, errors, applied.Distinct(StringComparer.Ordinal).ToList());
        }, ct);

    /// <summary>One item's result: the task after the change (the same instance when nothing changed), or its error.</summary>
    private sealed record ItemOutcome(StoredTask? Task, ApiError? Error)
    {
        public static implicit operator ItemOutcome(StoredTask task) => new(task, null);

        public static implicit operator ItemOutcome(ApiError error) => new(null, error);
    }
}
