using System.ComponentModel;
using System.Data.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Data;
using Montu.Server.Features.Paths;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Projects;

public static class ProjectsApi
{
    public static void MapProjectsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/projects").WithTags("Projects");
        group.MapGet("/", ListProjects).WithName("ListProjects").RequireSignedIn()
            .WithSummary("List the projects the caller can read").ProducesErrors(400, 401);
        group.MapGet("/{projectId}", GetProject).WithName("GetProject").RequireProject(ProjectPermission.Read)
            .WithSummary("Get a project's configuration").ProducesErrors(401, 404).ServesRevision();
        group.MapPost("/", CreateProject).WithName("CreateProject").RequireServerAdmin()
            .WithSummary("Create a project (server admins)").ProducesErrors(400, 401, 403, 409, 415).TagsRevision();
        group.MapPatch("/{projectId}", UpdateProject).WithName("UpdateProject").RequireProject(ProjectPermission.Admin)
            .WithSummary("Update a project (partial)").ProducesErrors(400, 401, 403, 404, 415, 422).ChecksIfMatch();
        group.MapPut("/{projectId}", UpdateProject).WithName("ReplaceProject").RequireProject(ProjectPermission.Admin)
            .WithSummary("Update a project (partial, as PATCH; kept for v2.0 clients)").ProducesErrors(400, 401, 403, 404, 415, 422).ChecksIfMatch();
        group.MapDelete("/{projectId}", ArchiveProject).WithName("ArchiveProject").RequireProject(ProjectPermission.Admin)
            .WithSummary("Archive a project (soft delete)").ProducesErrors(401, 403, 404).ChecksIfMatch();
        group.MapPost("/{projectId}/restore", RestoreProject).WithName("RestoreProject").RequireProject(ProjectPermission.Admin)
            .WithSummary("Restore an archived project").ProducesErrors(401, 403, 404, 422).ChecksIfMatch();
        group.MapGet("/{projectId}/stats", GetProjectStats).WithName("GetProjectStats").RequireProject(ProjectPermission.Read)
            .WithSummary("Task, media and artist counts of a project").ProducesErrors(401, 404);
    }

    public sealed record ListQuery(
        [property: Description("Page number, from 1")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: Description("Opaque cursor from a previous page's nextCursor; page is then ignored")] string? Cursor,
        [property: Description("Substring of id, name or description, case-insensitive")] string? Search,
        [property: Description("active, completed or archived")] string? Status,
        [property: FromQuery(Name = "include_archived"), Description("Also list archived projects")] string? IncludeArchived);

    private static async Task<Results<Ok<ListEnvelope<Project, ProjectFilters>>, ApiError>> ListProjects(
        [AsParameters] ListQuery query, ProjectQueries projects, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var filters = new ProjectFilters(
            QueryValues.Text(query.Search),
            QueryValues.OneOf(QueryValues.Text(query.Status), "status", ProjectRules.Statuses, problems),
            QueryValues.Bool(query.IncludeArchived, "include_archived", problems) is true ? true : null);
        string? afterId = null;
        if (page.Cursor is not null && !Cursor.TryDecode(page.Cursor, out afterId))
        {
            problems.Add("cursor", "The cursor is not valid; start again without it", ErrorCodes.InvalidFormat);
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        var (items, total, hasMore) = await projects.ListAsync(filters, ProjectAccess.Readable(caller), page, afterId, ct);
        var next = hasMore ? Cursor.Encode(items[^1].Id) : null;
        return TypedResults.Ok(new ListEnvelope<Project, ProjectFilters>(
            items, total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, filters)
        { LegacyItemsKey = "projects" });
    }

    private static async Task<Results<Ok<Project>, ApiError>> GetProject(string projectId, ProjectQueries projects, CancellationToken ct) =>
        await projects.FindAsync(projectId, ct) is { } project ? TypedResults.Ok(project) : NotFound(projectId);

    private static async Task<Results<Created<Project>, ApiError>> CreateProject(
        CreateProjectRequest body, ProjectQueries projects, Db db, EventLog events, TimeProvider time, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (ProjectChanges.Create(body, time.GetUtcNow().UtcDateTime, problems) is not { } project)
        {
            return problems.ToError();
        }

        bool created;
        try
        {
            created = await db.InTransactionAsync(async tx =>
            {
                if (await projects.IdTakenAsync(tx, project.Id, ct))
                {
                    return false;
                }

                await projects.InsertAsync(tx, project, ct);
                await events.AppendAsync(tx, new NewEvent("project_created", project.Id, "project", project.Id, new { project }, caller.UserId), ct);
                return true;
            }, ct);
        }
        catch (DbException e) when (Db.IsUniqueViolation(e))
        {
            created = false;
        }

        return created
            ? TypedResults.Created($"/api/v1/projects/{project.Id}", project)
            : ApiError.Conflict($"A project with id {Quote.Of(project.Id)} already exists", new FieldError("id", "Project id is taken", ErrorCodes.DuplicateValue));
    }

    private static async Task<Results<Ok<Project>, ApiError>> UpdateProject(
        string projectId, UpdateProjectRequest body, IfMatch ifMatch, ProjectQueries projects, Db db, EventLog events, JobQueue jobs, TimeProvider time,
        Caller caller, CancellationToken ct) =>
        await db.InTransactionAsync<Results<Ok<Project>, ApiError>>(async tx =>
        {
            if (await projects.FindForUpdateAsync(tx, projectId, ct) is not { } current)
            {
                return NotFound(projectId);
            }

            if (ifMatch.Check(current.Revision, $"Project {Quote.Of(projectId)}") is { } stale)
            {
                return stale;
            }

            var problems = new ValidationProblems();
            if (ProjectChanges.Update(current, body, time.GetUtcNow().UtcDateTime, problems) is not { } updated)
            {
                return problems.ToError();
            }

            if (await VocabularyStillInUseAsync(tx, projects, current, updated, ct) is { } inUse)
            {
                return inUse;
            }

            await projects.UpdateAsync(tx, updated, ct);
            if (!current.PriorityLevels.SequenceEqual(updated.PriorityLevels))
            {
                await projects.RerankPrioritiesAsync(tx, projectId, updated.PriorityLevels, ct);
            }

            if (TaskPathsJob.LayoutChanged(current, updated))
            {
                await jobs.EnqueueAsync(tx, TaskPathsJob.For(projectId, caller.UserId), ct);
            }

            await events.AppendAsync(tx, new NewEvent("project_updated", projectId, "project", projectId, new { changes = body, revision = updated.Revision }, caller.UserId), ct);
            return TypedResults.Ok(updated);
        }, ct);

    /// <summary>A vocabulary value may only be removed once no task uses it, or those tasks would hold invalid values.</summary>
    private static async Task<ApiError?> VocabularyStillInUseAsync(
        System.Data.Common.DbTransaction tx, ProjectQueries projects, Project before, Project after, CancellationToken ct)
    {
        var details = new List<FieldError>();
        foreach (var (column, field, removed) in ProjectChanges.RemovedVocabulary(before, after))
        {
            foreach (var (value, count) in await projects.TaskUsageAsync(tx, before.Id, column, removed, ct))
            {
                details.Add(new FieldError(field, $"{Quote.Of(value)} is still used by {count} task(s)", "VALUE_IN_USE"));
            }
        }

        return details.Count == 0
            ? null
            : new ApiError(422, "Values still used by tasks cannot be removed; change those tasks first", details);
    }

    private static Task<Results<Ok<Project>, ApiError>> ArchiveProject(
        string projectId, IfMatch ifMatch, ProjectQueries projects, Db db, EventLog events, TimeProvider time, Caller caller, CancellationToken ct) =>
        SetStatusAsync(projectId, ProjectRules.Archived, "project_archived", ifMatch, projects, db, events, time, caller, ct);

    private static Task<Results<Ok<Project>, ApiError>> RestoreProject(
        string projectId, IfMatch ifMatch, ProjectQueries projects, Db db, EventLog events, TimeProvider time, Caller caller, CancellationToken ct) =>
        SetStatusAsync(projectId, ProjectRules.Active, "project_restored", ifMatch, projects, db, events, time, caller, ct);

    private static async Task<Results<Ok<Project>, ApiError>> SetStatusAsync(
        string projectId, string status, string eventType, IfMatch ifMatch, ProjectQueries projects, Db db, EventLog events, TimeProvider time, Caller caller,
        CancellationToken ct) =>
        await db.InTransactionAsync<Results<Ok<Project>, ApiError>>(async tx =>
        {
            if (await projects.FindForUpdateAsync(tx, projectId, ct) is not { } current)
            {
                return NotFound(projectId);
            }

            if (ifMatch.Check(current.Revision, $"Project {Quote.Of(projectId)}") is { } stale)
            {
                return stale;
            }

            if (status == ProjectRules.Active && current.Status != ProjectRules.Archived)
            {
                return ApiError.BusinessRule($"Project {Quote.Of(projectId)} is not archived");
            }

            if (current.Status == status)
            {
                return TypedResults.Ok(current);
            }

            var updated = current with { Status = status, Revision = current.Revision + 1, UpdatedAt = time.GetUtcNow().UtcDateTime };
            await projects.UpdateAsync(tx, updated, ct);
            await events.AppendAsync(tx, new NewEvent(eventType, projectId, "project", projectId, new { status, revision = updated.Revision }, caller.UserId), ct);
            return TypedResults.Ok(updated);
        }, ct);

    private static async Task<Results<Ok<ProjectStats>, ApiError>> GetProjectStats(
        string projectId, ProjectStatistics statistics, CancellationToken ct) =>
        await statistics.ComputeAsync(projectId, ct) is { } stats ? TypedResults.Ok(stats) : NotFound(projectId);

    private static ApiError NotFound(string projectId) => ApiError.NotFound($"Project {Quote.Of(projectId)} not found");
}
