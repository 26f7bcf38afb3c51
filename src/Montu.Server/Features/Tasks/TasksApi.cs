using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

public static class TasksApi
{
    public static void MapTasksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tasks").WithTags("Tasks");
        group.MapGet("/", ListTasks).WithName("ListTasks")
            .WithSummary("List tasks: filters, sort, page or cursor").ProducesErrors(400);
        group.MapGet("/{taskId}", GetTask).WithName("GetTask")
            .WithSummary("Get a task").ProducesErrors(404);
        group.MapPost("/", CreateTask).WithName("CreateTask")
            .WithSummary("Create a task; unknown keys become custom fields")
            .DocumentsBody<TaskCreateDoc>().ProducesErrors(400, 409, 415, 422);
        group.MapPatch("/bulk-update", BulkUpdate).WithName("BulkUpdateTasks")
            .WithSummary("Update many tasks, each with its own changes (v2.1); answers {successful, failed, errors, updatedTasks}")
            .ProducesErrors(400, 415);
        group.MapPost("/bulk", BulkOperation).WithName("BulkOperateTasks")
            .WithSummary("Apply update_status, assign, update or archive to many tasks (v2.0)").ProducesErrors(400, 415);
        group.MapPatch("/{taskId}", UpdateTask).WithName("UpdateTask")
            .WithSummary("Update a task (partial); unknown keys are stored into customFields")
            .DocumentsBody<TaskPatchDoc>().ProducesErrors(400, 404, 415, 422);
        group.MapPut("/{taskId}", UpdateTask).WithName("ReplaceTask")
            .WithSummary("Update a task (partial, as PATCH; kept for v2.0 clients)")
            .DocumentsBody<TaskPatchDoc>().ProducesErrors(400, 404, 415, 422);
        group.MapDelete("/{taskId}", ArchiveTask).WithName("ArchiveTask")
            .WithSummary("Archive a task (soft delete); its status is kept for restore").ProducesErrors(404);
        group.MapPost("/{taskId}/restore", RestoreTask).WithName("RestoreTask")
            .WithSummary("Restore an archived task to the status it had").ProducesErrors(404, 422);
        group.MapPost("/{taskId}/add-field", AddFields).WithName("AddTaskFields")
            .WithSummary("Merge the body's keys into the task's customFields (null removes a key)")
            .DocumentsBody<Dictionary<string, JsonElement>>().ProducesErrors(400, 404, 415, 422);
    }

    /// <summary>
    /// Task bodies bind as <see cref="JsonElement"/> so unknown keys can become custom fields;
    /// the document shows <typeparamref name="T"/>, the fields the server knows, instead.
    /// </summary>
    private static RouteHandlerBuilder DocumentsBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), cancellationToken: ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    private static async Task<Results<Ok<ListEnvelope<TaskItem, TaskFilters>>, ApiError>> ListTasks(
        [AsParameters] TaskListQuery query, TaskQueries tasks, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var filters = query.ToFilters(problems);
        var sort = TaskSort.Parse(query.Sort, query.Order, problems);
        var after = problems.Any ? null : sort.ReadCursor(page.Cursor, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        var (items, total, hasMore) = await tasks.ListAsync(filters, sort, page, after, ct);
        var next = hasMore ? sort.CursorAfter(items[^1]) : null;
        return TypedResults.Ok(new ListEnvelope<TaskItem, TaskFilters>(
            items.Select(t => t.Task).ToList(), total, page.Page, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, filters)
        { LegacyItemsKey = "tasks" });
    }

    private static async Task<Results<Ok<TaskItem>, ApiError>> GetTask(string taskId, TaskQueries tasks, CancellationToken ct) =>
        await tasks.FindAsync(taskId, ct) is { } task ? TypedResults.Ok(task) : TaskWriter.NotFound(taskId);

    private static async Task<Results<Created<TaskItem>, ApiError>> CreateTask(
        JsonElement body, TaskWriter writer, ClaimsPrincipal user, CancellationToken ct)
    {
        var outcome = await writer.CreateAsync(body, user.UserId(), ct);
        return outcome.Error is { } error ? error : TypedResults.Created($"/api/v1/tasks/{outcome.Task!.Id}", outcome.Task);
    }

    private static async Task<Results<Ok<TaskItem>, ApiError>> UpdateTask(
        string taskId, JsonElement body, TaskWriter writer, ClaimsPrincipal user, CancellationToken ct) =>
        Answer(await writer.UpdateAsync(taskId, body, user.UserId(), ct));

    private static async Task<Results<Ok<TaskItem>, ApiError>> AddFields(
        string taskId, JsonElement body, TaskWriter writer, ClaimsPrincipal user, CancellationToken ct) =>
        Answer(await writer.AddFieldsAsync(taskId, body, user.UserId(), ct));

    private static async Task<Results<Ok<TaskItem>, ApiError>> ArchiveTask(
        string taskId, TaskWriter writer, ClaimsPrincipal user, CancellationToken ct) =>
        Answer(await writer.ArchiveAsync(taskId, user.UserId(), ct));

    private static async Task<Results<Ok<TaskItem>, ApiError>> RestoreTask(
        string taskId, TaskWriter writer, ClaimsPrincipal user, CancellationToken ct) =>
        Answer(await writer.RestoreAsync(taskId, user.UserId(), ct));

    private static async Task<Results<Ok<BulkResult>, ApiError>> BulkUpdate(
        List<BulkUpdateItem?> items, TaskBulkWriter bulk, ClaimsPrincipal user, CancellationToken ct) =>
        Answer(await bulk.UpdateEachAsync(items, user.UserId(), ct));

    private static async Task<Results<Ok<BulkResult>, ApiError>> BulkOperation(
        BulkOperationRequest request, TaskBulkWriter bulk, ClaimsPrincipal user, CancellationToken ct) =>
        Answer(await bulk.OperateAsync(request, user.UserId(), ct));

    private static Results<Ok<TaskItem>, ApiError> Answer(TaskOutcome outcome) =>
        outcome.Error is { } error ? error : TypedResults.Ok(outcome.Task!);

    private static Results<Ok<BulkResult>, ApiError> Answer((BulkResult? Result, ApiError? Error) outcome) =>
        outcome.Error is { } error ? error : TypedResults.Ok(outcome.Result!);
}
