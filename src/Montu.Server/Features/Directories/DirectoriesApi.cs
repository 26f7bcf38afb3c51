using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Directories;

/// <summary><c>POST /projects/{id}/directories</c>: a project's folder tree from its templates (docs/api.md §Directory structure).</summary>
public static class DirectoriesApi
{
    public static IServiceCollection AddMontuDirectories(this IServiceCollection services) => services.AddSingleton<DirectoryMaker>();

    public static void MapDirectoriesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/projects/{projectId}/directories", CreateDirectories).WithName("CreateProjectDirectories").WithTags("Projects")
            .RequireProject(ProjectPermission.Admin)
            .WithSummary("List (dryRun, the default) or create under the server's projects root the folders of the project's templates, " +
                "for every combination of the episodes, sequences, shots, assets and task types given; folders from {version} on are left for each version")
            .ProducesErrors(400, 401, 403, 404, 415, 422);
    }

    private static async Task<Results<Ok<DirectoriesResult>, ApiError>> CreateDirectories(
        string projectId, DirectoriesRequest body, ProjectQueries projects, DirectoryMaker maker, CancellationToken ct)
    {
        var project = await projects.FindAsync(projectId, ct);
        if (project is null)
        {
            return ProjectResolver.ProjectNotFound(projectId);
        }

        var problems = new ValidationProblems();
        var (directories, skipped) = DirectoryPlan.Build(project, body, problems);
        if (directories is null)
        {
            return problems.ToError();
        }

        if (body.DryRun ?? true)
        {
            return TypedResults.Ok(new DirectoriesResult(true, directories.Select(d => d.Path).ToList(), directories.Count, null, null, skipped));
        }

        var (result, error) = maker.Make(project, directories, skipped);
        return error ?? (Results<Ok<DirectoriesResult>, ApiError>)TypedResults.Ok(result!);
    }
}
