using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Features.Projects;
using Montu.Server.Features.TaskWorkflow;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.OpenApi;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

public static class TasksApi
{
    public static void MapTasksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tasks").WithTags("Tasks");
        group.MapGet("/", ListTasks).WithName("ListTasks").RequireSignedIn()
            .WithSummary("List tasks of the projects you can read: filters, sort, page or cursor; view=<id> applies a saved view, under the parameters sent").ProducesErrors(400, 401, 404)
            .Produces<ListEnvelope<TaskItem, TaskFilters>>(200);
        group.MapGet("/{taskId}", GetTask).WithName("GetTask").RequireProject(ProjectPermission.Read, resolvedBy: TaskProject)
            .WithSummary("Get a task").ProducesErrors(401, 404).Produces<TaskItem>(200).ServesRevision();
        group.MapPost("/", CreateTask).WithName("CreateTask").RequireProject(ProjectPermission.Write, resolvedBy: ProjectResolver.FromBodyField("projectId"))
            .WithSummary("Create a task; custom fields go inside customFields, other unknown keys are refused")
            .DocumentsBody<TaskCreateDoc>().ProducesErrors(400, 401, 403, 404, 409, 415, 422).TagsRevision();
        group.MapPatch("/bulk-update", BulkUpdate).WithName("BulkUpdateTasks").RequireSignedIn()
            .WithSummary("Update many tasks, each with its own changes (v2.1); answers {message, updatedCount, successful, failed, errors, updatedTasks}; If-Match does not apply")
            .DocumentsListBody<BulkUpdateItemDoc>(InputLimits.BulkItems).WithBodyLimit(InputLimits.BulkBodyBytes).ProducesErrors(400, 401, 415);
        group.MapPost("/bulk", BulkOperation).WithName("BulkOperateTasks").RequireSignedIn()
            .WithSummary("Apply update_status, assign, update or archive to many tasks (v2.0); If-Match does not apply")
            .DocumentsBody<BulkOperationDoc>().WithBodyLimit(InputLimits.BulkBodyBytes).ProducesErrors(400, 401, 415);
        group.MapPatch("/{taskId}", UpdateTask).WithName("UpdateTask").RequireProject(ProjectPermission.WriteAssigned, resolvedBy: TaskProject)
            .WithSummary("Update a task (partial); unknown keys are stored into customFields unless spelled like a task field")
            .DocumentsBody<TaskPatchDoc>().ProducesErrors(400, 401, 403, 404, 415, 422).ChecksIfMatch().MergesFields();
        group.MapPut("/{taskId}", UpdateTask).WithName("ReplaceTask").RequireProject(ProjectPermission.WriteAssigned, resolvedBy: TaskProject)
            .WithSummary("Update a task (partial, as PATCH; kept for v2.0 clients)")
            .DocumentsBody<TaskPatchDoc>().ProducesErrors(400, 401, 403, 404, 415, 422).ChecksIfMatch().MergesFields();
        group.MapDelete("/{taskId}", ArchiveTask).WithName("ArchiveTask").RequireProject(ProjectPermission.Write, resolvedBy: TaskProject)
            .WithSummary("Archive a task (soft delete); its status is kept for restore").ProducesErrors(401, 403, 404).ChecksIfMatch();
        group.MapPost("/{taskId}/restore", RestoreTask).WithName("RestoreTask").RequireProject(ProjectPermission.Write, resolvedBy: TaskProject)
            .WithSummary("Restore an archived task to the status it had").ProducesErrors(401, 403, 404, 422).ChecksIfMatch();
        group.MapPost("/{taskId}/add-field", AddFields).WithName("AddTaskFields").RequireProject(ProjectPermission.WriteAssigned, resolvedBy: TaskProject)
            .WithSummary("Merge the body's keys into the task's customFields (null removes a key)")
            .DocumentsMapBody(InputLimits.CustomFieldsCount, InputLimits.CustomFieldNameLength).ProducesErrors(400, 401, 403, 404, 415, 422).ChecksIfMatch();
    }

    /// <summary>A task's project never changes, so the route's access check can look it up by task id.</summary>
    private static readonly ProjectResolver TaskProject =
        ProjectResolver.FromLookup<TaskQueries>("taskId", "Task", (tasks, id, ct) => tasks.ProjectIdOfAsync(id, ct));

    private static async Task<Results<Ok<ListEnvelope<TaskJson, TaskFilters>>, FileContentHttpResult, ApiError>> ListTasks(
        [AsParameters] TaskListQuery query, [AsParameters] TaskPageQuery paging,
        [FromQuery(Name = "view"), Description("A saved view's id: its filters, project and sort apply wherever this request sends none")] string? view,
        TaskListing listing, TaskListCache cache, ProjectQueries projects, SavedViews views, Caller caller, HttpContext http, CancellationToken ct)
    {
        if (QueryValues.Text(view) is { } viewId)
        {
            var (applied, refused) = await views.ApplyAsync(viewId, query, caller, ct);
            if (refused is not null)
            {
                return refused;
            }

            query = applied!;
        }

        var problems = new ValidationProblems();
        var page = PageRequest.Parse(paging.Page, paging.PageSize, paging.Cursor, problems);
        var filters = query.ToFilters(problems);
        var sort = TaskSort.Parse(query.Sort, query.Order, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        if (filters.ProjectId is { } projectId && ProjectAccess.Check(caller, projectId, ProjectPermission.Read) is { } hidden)
        {
            return hidden;
        }

        var readable = ProjectAccess.Readable(caller);
        var legacy = LegacyShape.IsRequested(http);
        var key = TaskListCache.Key(filters, sort, page, readable);
        // A page is stored only once its cursor has been read without a problem, so a stored page
        // is answered without reading the cursor again; nor does its project need looking up, since
        // projects are archived, never deleted.
        if (!legacy && await cache.FindAsync(key, filters.ProjectId, ct) is { } stored)
        {
            return TypedResults.Bytes(stored, JsonContentType);
        }

        // Server admins read every project, so only the database knows whether theirs exists.
        if (filters.ProjectId is { } adminsProject && caller.IsServerAdmin && await projects.FindAsync(adminsProject, ct) is null)
        {
            return ProjectResolver.ProjectNotFound(adminsProject);
        }

        var after = sort.ReadCursor(page.Cursor, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        if (legacy)
        {
            return TypedResults.Ok(await EnvelopeAsync(ct));
        }

        // Shared with other requests for the page, so not cancelled with this one.
        var body = await cache.GetAsync(key, filters.ProjectId,
            async () => JsonSerializer.SerializeToUtf8Bytes(await EnvelopeAsync(CancellationToken.None), WireJson.Default), ct);
        return TypedResults.Bytes(body, JsonContentType);

        async Task<ListEnvelope<TaskJson, TaskFilters>> EnvelopeAsync(CancellationToken token)
        {
            var (items, total, hasMore) = await listing.ListAsync(filters, readable, sort, page, after, token);
            var next = hasMore ? sort.CursorAfter(items[^1]) : null;
            return new ListEnvelope<TaskJson, TaskFilters>(
                items.Select(t => t.Task).ToList(), total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, filters)
            { LegacyItemsKey = "tasks" };
        }
    }

    private const string JsonContentType = "application/json; charset=utf-8";

    private static async Task<Results<Ok<TaskJson>, ApiError>> GetTask(string taskId, TaskReads tasks, CancellationToken ct) =>
        await tasks.FindAsync(taskId, ct) is { } task ? TypedResults.Ok(task) : TaskWriter.NotFound(taskId);

    private static async Task<Results<Created<TaskItem>, ApiError>> CreateTask(
        JsonElement body, TaskWriter writer, Caller caller, CancellationToken ct)
    {
        var outcome = await writer.CreateAsync(body, caller.UserId, ct);
        return outcome.Error is { } error ? error : TypedResults.Created($"/api/v1/tasks/{outcome.Task!.Id}", outcome.Task);
    }

    private static async Task<Results<Ok<TaskItem>, ApiError>> UpdateTask(
        string taskId, JsonElement body, IfMatch ifMatch, HttpRequest request, TaskWriter writer, Caller caller, CancellationToken ct)
    {
        var (merge, refused) = TaskMerge.Read(request, ifMatch);
        return refused is not null ? refused : Answer(await writer.UpdateAsync(taskId, body, new TaskGuard(caller), ifMatch, merge, ct));
    }

    private static async Task<Results<Ok<TaskItem>, ApiError>> AddFields(
        string taskId, JsonElement body, IfMatch ifMatch, TaskWriter writer, Caller caller, CancellationToken ct) =>
        Answer(await writer.AddFieldsAsync(taskId, body, new TaskGuard(caller), ifMatch, ct));

    private static async Task<Results<Ok<TaskItem>, ApiError>> ArchiveTask(
        string taskId, IfMatch ifMatch, TaskWriter writer, Caller caller, CancellationToken ct) =>
        Answer(await writer.ArchiveAsync(taskId, ifMatch, caller.UserId, ct));

    private static async Task<Results<Ok<TaskItem>, ApiError>> RestoreTask(
        string taskId, IfMatch ifMatch, TaskWriter writer, Caller caller, CancellationToken ct) =>
        Answer(await writer.RestoreAsync(taskId, ifMatch, caller.UserId, ct));

    private static async Task<Results<Ok<BulkUpdateResult>, ApiError>> BulkUpdate(
        List<BulkUpdateItem?> items, TaskBulkWriter bulk, Caller caller, CancellationToken ct) =>
        await bulk.UpdateEachAsync(items, new TaskGuard(caller), ct) switch
        {
            (_, { } error) => error,
            var (result, _) => TypedResults.Ok(BulkUpdateResult.From(result!)),
        };

    private static async Task<Results<Ok<BulkResult>, ApiError>> BulkOperation(
        BulkOperationRequest request, TaskBulkWriter bulk, Caller caller, CancellationToken ct) =>
        Answer(await bulk.OperateAsync(request, new TaskGuard(caller), ct));

    private static Results<Ok<TaskItem>, ApiError> Answer(TaskOutcome outcome) =>
        outcome.Error is { } error ? error : TypedResults.Ok(outcome.Task!);

    private static Results<Ok<BulkResult>, ApiError> Answer((BulkResult? Result, ApiError? Error) outcome) =>
        outcome.Error is { } error ? error : TypedResults.Ok(outcome.Result!);
}
