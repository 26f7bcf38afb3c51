using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.TimeLogs;

/// <summary>Hours logged on tasks: log, list, change, delete (docs/api.md §Time logs).</summary>
public static class TimeLogsApi
{
    public static IServiceCollection AddMontuTimeLogs(this IServiceCollection services) => services
        .AddSingleton<TimeLogQueries>()
        .AddSingleton<TimeLogChanges>();

    public static void MapTimeLogsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/tasks/{taskId}/time-logs", Create).WithTags("Time logs").WithName("CreateTimeLog")
            .RequireProject(ProjectPermission.WriteAssigned, resolvedBy: TaskProject)
            .WithSummary("Log hours worked on the task on a day: your own on a task you may change (artists: assigned to you), or a member's with write on the project; the task's actualTimeLogged becomes the sum of its logs")
            .WithDescription("Hours are more than 0 and at most 24, with at most two decimals. One user's hours on one day, over every project, never exceed 24: "
                + "a log that would pass that is refused with 422 saying how many hours that day already holds. An archived task or project takes no logs (422).")
            .ProducesErrors(400, 401, 403, 404, 415, 422).TagsRevision();
        var group = api.MapGroup("/time-logs").WithTags("Time logs");
        group.MapGet("/", List).WithName("ListTimeLogs").RequireSignedIn()
            .WithSummary("List time logs of the projects you can read, latest day first: filters, page or cursor").ProducesErrors(400, 401, 404);
        group.MapPatch("/{timeLogId}", Update).WithName("UpdateTimeLog").RequireProject(ProjectPermission.WriteAssigned, resolvedBy: TimeLogProject)
            .WithSummary("Change a log's day, hours or note (its user, who logged it, or write on the project); the task's actualTimeLogged follows")
            .ProducesErrors(400, 401, 403, 404, 415, 422).ChecksIfMatch();
        group.MapDelete("/{timeLogId}", Delete).WithName("DeleteTimeLog").RequireProject(ProjectPermission.WriteAssigned, resolvedBy: TimeLogProject)
            .WithSummary("Delete a log (its user, who logged it, or write on the project); the task's actualTimeLogged follows")
            .ProducesErrors(401, 403, 404, 422).ChecksIfMatch();
    }

    private static readonly ProjectResolver TaskProject =
        ProjectResolver.FromLookup<TaskQueries>("taskId", "Task", (tasks, id, ct) => tasks.ProjectIdOfAsync(id, ct));

    private static readonly ProjectResolver TimeLogProject =
        ProjectResolver.FromLookup<TimeLogQueries>("timeLogId", "Time log", (logs, id, ct) => logs.ProjectIdOfAsync(id, ct));

    public sealed record ListQuery(
        [property: FromQuery(Name = "page"), Description("Page number, from 1; ignored when cursor is given")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from a previous page's nextCursor, valid with the same order")] string? Cursor,
        [property: FromQuery(Name = "project_id"), Description("Project id")] string? ProjectId,
        [property: FromQuery(Name = "user"), Description("Whose hours: a user id, or me")] string? User,
        [property: FromQuery(Name = "task_id"), Description("Task id")] string? TaskId,
        [property: FromQuery(Name = "from"), Description("First day, YYYY-MM-DD, included")] string? From,
        [property: FromQuery(Name = "to"), Description("Last day, YYYY-MM-DD, included")] string? To,
        [property: FromQuery(Name = "order"), Description("By day, then creation time: desc (default, latest first) or asc")] string? Order);

    private static async Task<Results<Ok<ListEnvelope<TimeLog, TimeLogFilters>>, ApiError>> List(
        [AsParameters] ListQuery query, TimeLogQueries logs, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var user = QueryValues.Text(query.User);
        var filters = new TimeLogFilters
        {
            ProjectId = QueryValues.Text(query.ProjectId),
            User = user == "me" ? caller.UserId : user,
            TaskId = QueryValues.Text(query.TaskId),
            From = TimeLogRules.Day(QueryValues.Text(query.From), "from", problems),
            To = TimeLogRules.Day(QueryValues.Text(query.To), "to", problems),
        };
        var order = QueryValues.OneOf(QueryValues.Text(query.Order)?.ToLowerInvariant(), "order", ["asc", "desc"], problems) ?? "desc";
        var after = ReadCursor(page.Cursor, order, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        if (filters.ProjectId is { } projectId && ProjectAccess.Check(caller, projectId, ProjectPermission.Read) is { } hidden)
        {
            return hidden;
        }

        var (rows, total, hasMore) = await logs.ListAsync(filters, ProjectAccess.Readable(caller), order == "desc", page, after, ct);
        var next = hasMore ? Cursor.Encode(new TimeLogCursor(order, rows[^1].Date, DateTime.SpecifyKind(rows[^1].CreatedAt, DateTimeKind.Utc), rows[^1].Id)) : null;
        return TypedResults.Ok(new ListEnvelope<TimeLog, TimeLogFilters>(
            rows.Select(r => r.ToLog()).ToList(), total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, filters));
    }

    /// <summary>A cursor continues only the order it was made for.</summary>
    private static TimeLogCursor? ReadCursor(string? raw, string order, ValidationProblems problems)
    {
        if (raw is null)
        {
            return null;
        }

        if (!Cursor.TryDecode<TimeLogCursor>(raw, out var cursor) || cursor is null || cursor.Id is null || cursor.Date is null || cursor.Order != order)
        {
            problems.Add("cursor", "The cursor is not valid for this order; start again without it", ErrorCodes.InvalidFormat);
            return null;
        }

        return cursor;
    }

    private static async Task<Results<Created<TimeLog>, ApiError>> Create(string taskId, CreateTimeLogRequest body, TimeLogChanges changes, Caller caller, CancellationToken ct)
    {
        var outcome = await changes.CreateAsync(taskId, body, caller, ct);
        return outcome.Error is { } error ? error : TypedResults.Created($"/api/v1/time-logs/{outcome.Log!.Id}", outcome.Log);
    }

    private static async Task<Results<Ok<TimeLog>, ApiError>> Update(
        string timeLogId, UpdateTimeLogRequest body, IfMatch ifMatch, TimeLogChanges changes, Caller caller, CancellationToken ct)
    {
        var outcome = await changes.UpdateAsync(timeLogId, body, ifMatch, caller, ct);
        return outcome.Error is { } error ? error : TypedResults.Ok(outcome.Log!);
    }

    private static async Task<Results<NoContent, ApiError>> Delete(string timeLogId, IfMatch ifMatch, TimeLogChanges changes, Caller caller, CancellationToken ct) =>
        await changes.DeleteAsync(timeLogId, ifMatch, caller, ct) is { } error ? error : TypedResults.NoContent();
}
