using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.WorkFiles;

/// <summary>A task's work-file versions: allocate the next, publish one, list them (docs/api.md §Work-file versions).</summary>
public static class WorkFilesApi
{
    public static IServiceCollection AddMontuWorkFiles(this IServiceCollection services) => services
        .AddSingleton<WorkFileQueries>()
        .AddSingleton<WorkFileVersions>();

    public static void MapWorkFilesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tasks/{taskId}/versions").WithTags("Tasks");
        group.MapPost("/", Allocate).WithName("AllocateTaskVersion").RequireProject(ProjectPermission.WriteAssigned, resolvedBy: TaskProject)
            .WithSummary("Allocate the task's next work-file version (v001, v002, ...; never the same number twice) with its paths; it becomes currentVersion and joins versions")
            .ProducesErrors(400, 401, 403, 404, 415, 422).ChecksIfMatch();
        group.MapGet("/", List).WithName("ListTaskVersions").RequireProject(ProjectPermission.Read, resolvedBy: TaskProject)
            .WithSummary("The task's allocated work-file versions, oldest first, each with its paths and whether it is the published one")
            .ProducesErrors(401, 404);
        group.MapPost("/{version}/publish", Publish).WithName("PublishTaskVersion").RequireProject(ProjectPermission.WriteAssigned, resolvedBy: TaskProject)
            .WithSummary("Make an allocated version (v003, 3 or 003) the task's publishedVersion; answers the task")
            .ProducesErrors(400, 401, 403, 404, 422).ChecksIfMatch();
    }

    private static readonly ProjectResolver TaskProject =
        ProjectResolver.FromLookup<TaskQueries>("taskId", "Task", (tasks, id, ct) => tasks.ProjectIdOfAsync(id, ct));

    private static async Task<Results<Created<WorkFileVersion>, ApiError>> Allocate(
        string taskId, AllocateVersionRequest body, IfMatch ifMatch, WorkFileVersions versions, Caller caller, CancellationToken ct)
    {
        var outcome = await versions.AllocateAsync(taskId, body, new TaskGuard(caller), ifMatch, ct);
        return outcome.Error is { } error ? error : TypedResults.Created($"/api/v1/tasks/{taskId}/versions", outcome.Value!);
    }

    private static async Task<Results<Ok<WorkFileVersionList>, ApiError>> List(string taskId, WorkFileVersions versions, CancellationToken ct) =>
        await versions.ListAsync(taskId, ct) is { } list ? TypedResults.Ok(list) : TaskWriter.NotFound(taskId);

    private static async Task<Results<Ok<TaskItem>, ApiError>> Publish(
        string taskId, string version, IfMatch ifMatch, WorkFileVersions versions, Caller caller, CancellationToken ct)
    {
        var outcome = await versions.PublishAsync(taskId, version, new TaskGuard(caller), ifMatch, ct);
        return outcome.Error is { } error ? error : TypedResults.Ok(outcome.Value!);
    }
}
