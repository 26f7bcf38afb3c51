using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Features.TaskWorkflow;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.TaskExport;

public static class TaskExportApi
{
    public static IServiceCollection AddMontuTaskExport(this IServiceCollection services) => services.AddSingleton<TaskCsvExport>();

    public static void MapTaskExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/tasks/export.csv", ExportTasks).WithTags("Tasks").WithName("ExportTasks").RequireSignedIn()
            .WithSummary("Every task GET /tasks would list with the same filters and sort, as one CSV (no paging): a column per task field, frameStart and frameEnd, and cf.<key> per custom field; cells starting with = + - @ tab or CR get a leading '")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").ProducesErrors(400, 401, 404, 422);
    }

    private static async Task<IResult> ExportTasks(
        [AsParameters] TaskListQuery query,
        [FromQuery(Name = "bom"), Description("true starts the file with a UTF-8 byte order mark, for Excel")] string? bom,
        [FromQuery(Name = "view"), Description("A saved view's id: its filters, project and sort apply wherever this request sends none")] string? view,
        TaskCsvExport export, ProjectQueries projects, SavedViews views, Caller caller, HttpContext http, CancellationToken ct)
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
        var filters = query.ToFilters(problems);
        var sort = TaskSort.Parse(query.Sort, query.Order, problems);
        var withBom = QueryValues.Bool(bom, "bom", problems) is true;
        if (problems.Any)
        {
            return problems.ToError();
        }

        if (filters.ProjectId is { } projectId)
        {
            if (ProjectAccess.Check(caller, projectId, ProjectPermission.Read) is { } hidden)
            {
                return hidden;
            }

            // Server admins read every project, so only the database knows whether theirs exists.
            if (caller.IsServerAdmin && await projects.FindAsync(projectId, ct) is null)
            {
                return ProjectResolver.ProjectNotFound(projectId);
            }
        }

        var readable = ProjectAccess.Readable(caller);
        if (await export.CustomFieldKeysAsync(filters, readable, ct) is not { } customKeys)
        {
            return ApiError.BusinessRule(
                $"The matching tasks have more than {TaskCsvExport.MaxCustomFieldColumns} distinct custom fields, one column each; export fewer tasks at a time (filter by project, episode, sequence...)");
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = filters.ProjectId is { } project ? $"tasks-{project}.csv" : "tasks.csv",
        }.ToString();
        await export.WriteAsync(http.Response.Body, filters, readable, sort, customKeys, withBom, ct);
        return TypedResults.Empty;
    }
}
