using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Features.Paths;

public static class PathsApi
{
    public static IServiceCollection AddMontuPaths(this IServiceCollection services) =>
        services.AddSingleton<PathBuilder>().AddSingleton<IJobHandler, TaskPathsJob>();

    public static void MapPathsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/paths").WithTags("Paths");
        group.MapPost("/generate", Generate).WithName("GeneratePath").RequireProject(ProjectPermission.Read, resolvedBy: ProjectResolver.FromBodyField("projectId"))
            .WithSummary("Render one of the project's templates from taskData, a task, or both; components hold each value the path was made of")
            .ProducesErrors(400, 401, 404, 415);
        group.MapPost("/batch", Batch).WithName("GeneratePaths").RequireProject(ProjectPermission.Read, resolvedBy: ProjectResolver.FromBodyField("projectId"))
            .WithSummary("Render a template for many tasks (named, or matching the task filters; at most 1000), each with its path or its error")
            .ProducesErrors(400, 401, 404, 415);
        group.MapGet("/validate", Validate).WithName("ValidatePath").RequireSignedIn()
            .WithSummary("Read a path back against the project's templates and file-name patterns; a path that follows none is valid: false with how far it followed each")
            .ProducesErrors(400, 401, 404);
    }

    private static async Task<Results<Ok<PathGeneration>, ApiError>> Generate(GeneratePathRequest request, PathBuilder builder, CancellationToken ct)
    {
        var (path, error) = await builder.GenerateAsync(request, ct);
        return error is not null ? error : TypedResults.Ok(path!);
    }

    private static async Task<Results<Ok<PathBatch>, ApiError>> Batch(BatchPathRequest request, PathBuilder builder, Caller caller, CancellationToken ct)
    {
        var (batch, error) = await builder.BatchAsync(request, caller, ct);
        return error is not null ? error : TypedResults.Ok(batch!);
    }

    private static async Task<Results<Ok<PathValidation>, ApiError>> Validate(
        [FromQuery(Name = "path"), Description("The path to read, with / or \\ separators and any root of the project's rootMappings")] string? path,
        [FromQuery(Name = "project_id"), Description("Project id")] string? projectId,
        PathBuilder builder, Caller caller, CancellationToken ct)
    {
        var (reading, error) = await builder.ValidateAsync(path, projectId, caller, ct);
        return error is not null ? error : TypedResults.Ok(reading!);
    }
}
