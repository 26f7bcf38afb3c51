using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.TaskWorkflow;

/// <summary>Task dependencies and saved views (docs/api.md §Task workflow); per-type statuses live on the project.</summary>
public static class TaskWorkflowApi
{
    public static IServiceCollection AddMontuTaskWorkflow(this IServiceCollection services) => services
        .AddSingleton<TaskBlocking>()
        .AddSingleton<TaskDependencyWriter>()
        .AddSingleton<SavedViews>();

    public static void MapTaskWorkflowApi(this RouteGroupBuilder api)
    {
        var dependencies = api.MapGroup("/tasks/{taskId}/dependencies").WithTags("Task workflow");
        dependencies.MapPost("/", Add).WithName("AddTaskDependency").RequireProject(ProjectPermission.Write, resolvedBy: TaskProject)
            .WithSummary("Make the task wait on another task of its project (finish_to_start): 201 when added, 200 when it already waited on it; a link closing a cycle is refused with 422 naming the cycle")
            .ProducesErrors(400, 401, 403, 404, 415, 422);
        dependencies.MapGet("/", List).WithName("ListTaskDependencies").RequireProject(ProjectPermission.Read, resolvedBy: TaskProject)
            .WithSummary("The tasks this one waits on and the tasks waiting on it, each with its status, artist and whether it is finished")
            .ProducesErrors(401, 404);
        dependencies.MapDelete("/{dependsOnId}", Remove).WithName("RemoveTaskDependency").RequireProject(ProjectPermission.Write, resolvedBy: TaskProject)
            .WithSummary("Stop the task waiting on another; its artist is told when nothing else holds it up")
            .ProducesErrors(401, 403, 404, 422);

        var views = api.MapGroup("/views").WithTags("Saved views");
        // Signed in, with read on the body's project checked by the handler: saving a view is a reader's own setting, not a change to the project.
        views.MapPost("/", Create).WithName("CreateView").RequireSignedIn()
            .WithSummary("Save a task-list view of a project: filters (checked as GET /tasks checks them), sort and columns; shared: true (write on the project) shows it to every reader")
            .ProducesErrors(400, 401, 403, 404, 415);
        views.MapGet("/", ListViews).WithName("ListViews").RequireSignedIn()
            .WithSummary("Your views and the shared views of the projects you can read, by name").ProducesErrors(400, 401, 404);
        views.MapGet("/{viewId}", Get).WithName("GetView").RequireSignedIn()
            .WithSummary("Get a view: your own, or a shared one of a project you can read (another user's private view is not found)").ProducesErrors(401, 404);
        views.MapPatch("/{viewId}", Update).WithName("UpdateView").RequireSignedIn()
            .WithSummary("Change your view's name, query (replaced whole) or sharing; only its owner may").ProducesErrors(400, 401, 403, 404, 415);
        views.MapDelete("/{viewId}", Delete).WithName("DeleteView").RequireSignedIn()
            .WithSummary("Delete your view; only its owner may").ProducesErrors(401, 403, 404);
    }

    private static readonly ProjectResolver TaskProject =
        ProjectResolver.FromLookup<TaskQueries>("taskId", "Task", (tasks, id, ct) => tasks.ProjectIdOfAsync(id, ct));

    public sealed record ViewListQuery(
        [property: FromQuery(Name = "project_id"), Description("Project id")] string? ProjectId,
        [property: FromQuery(Name = "page"), Description("Page number, from 1")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize);

    private static async Task<Results<Created<TaskDependency>, Ok<TaskDependency>, ApiError>> Add(
        string taskId, AddDependencyRequest body, TaskDependencyWriter writer, Caller caller, CancellationToken ct) =>
        await writer.AddAsync(taskId, body, caller.UserId, ct) switch
        {
            { Error: { } error } => error,
            { Created: true, Link: { } link } => TypedResults.Created($"/api/v1/tasks/{taskId}/dependencies", link),
            var existing => TypedResults.Ok(existing.Link!),
        };

    private static async Task<Results<Ok<TaskDependencies>, ApiError>> List(
        string taskId, TaskDependencyWriter writer, ProjectQueries projects, TaskQueries tasks, CancellationToken ct)
    {
        // The route's access check has found the task, and neither tasks nor projects are ever deleted.
        var project = await projects.FindAsync((await tasks.ProjectIdOfAsync(taskId, ct))!, ct);
        return TypedResults.Ok(await writer.ListAsync(taskId, project!, ct));
    }

    private static async Task<Results<NoContent, ApiError>> Remove(
        string taskId, string dependsOnId, TaskDependencyWriter writer, Caller caller, CancellationToken ct) =>
        await writer.RemoveAsync(taskId, dependsOnId, caller.UserId, ct) is { } error ? error : TypedResults.NoContent();

    private static async Task<Results<Created<SavedView>, ApiError>> Create(CreateViewRequest body, SavedViews views, Caller caller, CancellationToken ct)
    {
        var outcome = await views.CreateAsync(body, caller, ct);
        return outcome.Error is { } error ? error : TypedResults.Created($"/api/v1/views/{outcome.View!.Id}", outcome.View);
    }

    private static async Task<Results<Ok<ListEnvelope<SavedView, ViewFilters>>, ApiError>> ListViews(
        [AsParameters] ViewListQuery query, SavedViews views, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, null, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        var projectId = QueryValues.Text(query.ProjectId);
        if (projectId is not null && ProjectAccess.Check(caller, projectId, ProjectPermission.Read) is { } hidden)
        {
            return hidden;
        }

        var (items, total) = await views.ListAsync(projectId, caller, page, ct);
        return TypedResults.Ok(new ListEnvelope<SavedView, ViewFilters>(items, total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), null, new ViewFilters(projectId)));
    }

    private static async Task<Results<Ok<SavedView>, ApiError>> Get(string viewId, SavedViews views, Caller caller, CancellationToken ct) =>
        Answer(await views.FindAsync(viewId, caller, ct));

    private static async Task<Results<Ok<SavedView>, ApiError>> Update(string viewId, UpdateViewRequest body, SavedViews views, Caller caller, CancellationToken ct) =>
        Answer(await views.UpdateAsync(viewId, body, caller, ct));

    private static async Task<Results<NoContent, ApiError>> Delete(string viewId, SavedViews views, Caller caller, CancellationToken ct) =>
        await views.DeleteAsync(viewId, caller, ct) is { } error ? error : TypedResults.NoContent();

    private static Results<Ok<SavedView>, ApiError> Answer(ViewOutcome outcome) =>
        outcome.Error is { } error ? error : TypedResults.Ok(outcome.View!);
}
