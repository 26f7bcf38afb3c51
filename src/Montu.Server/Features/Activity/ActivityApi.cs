using System.ComponentModel;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Features.Media;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Activity;

/// <summary>The event log read as people read it: activity, one task's or media's history, and the server admins' audit (docs/api.md §Activity and audit).</summary>
public static partial class ActivityApi
{
    /// <summary>Event types named in one <c>type</c> filter.</summary>
    public const int MaxTypes = 20;

    public static IServiceCollection AddMontuActivity(this IServiceCollection services) => services
        .AddSingleton<ActivityQueries>()
        .AddSingleton<RateLimitAudit>()
        .AddSingleton<IRateLimitRecorder>(sp => sp.GetRequiredService<RateLimitAudit>());

    public static void MapActivityApi(this RouteGroupBuilder api)
    {
        api.MapGet("/activity", ListActivity).WithName("ListActivity").WithTags("Activity").RequireSignedIn()
            .WithSummary("What happened in the projects you can read, newest first, as readable entries (who, when, a sentence, the changed fields): filters, page or cursor")
            .WithDescription("Events of no project (sign-ins, accounts) are not activity, for server admins either: they are in GET /audit. "
                + "Reaches as far back as the event log is kept (Events__RetentionDays).")
            .ProducesErrors(400, 401, 404);
        api.MapGet("/tasks/{taskId}/history", TaskHistory).WithName("GetTaskHistory").WithTags("Activity")
            .RequireProject(ProjectPermission.Read, resolvedBy: TaskProject)
            .WithSummary("A task's history, newest first: its own events and the bulk changes and CSV imports that touched it, narrowed to it")
            .ProducesErrors(400, 401, 404);
        api.MapGet("/media/{mediaId}/history", MediaHistory).WithName("GetMediaHistory").WithTags("Activity")
            .RequireProject(ProjectPermission.Read, resolvedBy: MediaProject)
            .WithSummary("A media version's history, newest first: upload, processing, reviews, changes")
            .ProducesErrors(400, 401, 404);
        api.MapGet("/audit", ListAudit).WithName("ListAudit").WithTags("Activity").RequireServerAdmin()
            .WithSummary("Server admins: security and administration events, newest first: sign-ins and failed sign-ins (address, user agent), refresh-token reuse, sign-outs, accounts, roles and memberships, share links, rate-limit refusals")
            .WithDescription("Never holds a password or a token. A rate-limit refusal is recorded once per limit, partition and minute. "
                + "Reaches as far back as the event log is kept (Events__RetentionDays).")
            .ProducesErrors(400, 401, 403);
    }

    private static readonly ProjectResolver TaskProject =
        ProjectResolver.FromLookup<TaskQueries>("taskId", "Task", (tasks, id, ct) => tasks.ProjectIdOfAsync(id, ct));

    private static readonly ProjectResolver MediaProject =
        ProjectResolver.FromLookup<MediaQueries>("mediaId", "Media", (media, id, ct) => media.ProjectIdOfAsync(id, ct));

    public sealed record PageQuery(
        [property: FromQuery(Name = "page"), Description("Page number, from 1; ignored when cursor is given")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from a previous page's nextCursor")] string? Cursor);

    public sealed record ActivityQuery(
        [property: FromQuery(Name = "page"), Description("Page number, from 1; ignored when cursor is given")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from a previous page's nextCursor")] string? Cursor,
        [property: FromQuery(Name = "project_id"), Description("Project id")] string? ProjectId,
        [property: FromQuery(Name = "entity_type"), Description("Kind of thing changed: task, tasks (bulk changes and imports), media, annotation, playlist, project, time_log")] string? EntityType,
        [property: FromQuery(Name = "entity_id"), Description("Its id")] string? EntityId,
        [property: FromQuery(Name = "user"), Description("Who acted: a user id, or me")] string? User,
        [property: FromQuery(Name = "type"), Description("Event types, comma-separated (task_updated,media_approved)")] string? Type,
        [property: FromQuery(Name = "since"), Description("From this time, included (ISO 8601)")] string? Since,
        [property: FromQuery(Name = "until"), Description("Up to this time, excluded (ISO 8601)")] string? Until);

    public sealed record AuditQuery(
        [property: FromQuery(Name = "page"), Description("Page number, from 1; ignored when cursor is given")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from a previous page's nextCursor")] string? Cursor,
        [property: FromQuery(Name = "user"), Description("A user id, or me: the events by that user or about their account")] string? User,
        [property: FromQuery(Name = "type"), Description("Event types, comma-separated (sign_in_failed,session_revoked)")] string? Type,
        [property: FromQuery(Name = "since"), Description("From this time, included (ISO 8601)")] string? Since,
        [property: FromQuery(Name = "until"), Description("Up to this time, excluded (ISO 8601)")] string? Until);

    private static async Task<Results<Ok<ListEnvelope<ActivityEntry, ActivityFilters>>, ApiError>> ListActivity(
        [AsParameters] ActivityQuery query, ActivityQueries activity, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var user = QueryValues.Text(query.User);
        var filters = new ActivityFilters
        {
            ProjectId = QueryValues.Text(query.ProjectId),
            EntityType = QueryValues.Text(query.EntityType),
            EntityId = QueryValues.Text(query.EntityId),
            User = user == "me" ? caller.UserId : user,
            Type = Types(query.Type, problems),
            Since = QueryValues.Timestamp(QueryValues.Text(query.Since), "since", problems),
            Until = QueryValues.Timestamp(QueryValues.Text(query.Until), "until", problems),
        };
        var before = ReadCursor(page.Cursor, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        if (filters.ProjectId is { } projectId && ProjectAccess.Check(caller, projectId, ProjectPermission.Read) is { } hidden)
        {
            return hidden;
        }

        var filter = activity.Activity(ProjectAccess.Readable(caller));
        filter.Add("e.project_id = @projectId", "projectId", filters.ProjectId);
        filter.Add("e.entity_type = @entityType", "entityType", filters.EntityType);
        filter.Add("e.entity_id = @entityId", "entityId", filters.EntityId);
        filter.Add("e.user_id = @user", "user", filters.User);
        return TypedResults.Ok(await PageAsync(activity, Common(activity, filter, filters), page, before, filters, row => ActivityEntries.Entry(row), ct));
    }

    private static async Task<Results<Ok<ListEnvelope<ActivityEntry, ActivityFilters>>, ApiError>> TaskHistory(
        string taskId, [AsParameters] PageQuery query, ActivityQueries activity, TaskQueries tasks, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var before = ReadCursor(page.Cursor, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        // The access check found the task's project already; a task never changes project.
        var projectId = (await tasks.ProjectIdOfAsync(taskId, ct))!;
        return TypedResults.Ok(await PageAsync(activity, activity.TaskHistory(taskId, projectId), page, before,
            new ActivityFilters { EntityType = "task", EntityId = taskId }, row => ActivityEntries.Entry(row, taskId), ct));
    }

    private static async Task<Results<Ok<ListEnvelope<ActivityEntry, ActivityFilters>>, ApiError>> MediaHistory(
        string mediaId, [AsParameters] PageQuery query, ActivityQueries activity, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var before = ReadCursor(page.Cursor, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        return TypedResults.Ok(await PageAsync(activity, ActivityQueries.MediaHistory(mediaId), page, before,
            new ActivityFilters { EntityType = "media", EntityId = mediaId }, row => ActivityEntries.Entry(row), ct));
    }

    private static async Task<Results<Ok<ListEnvelope<AuditEntry, ActivityFilters>>, ApiError>> ListAudit(
        [AsParameters] AuditQuery query, ActivityQueries activity, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var user = QueryValues.Text(query.User);
        var filters = new ActivityFilters
        {
            User = user == "me" ? caller.UserId : user,
            Type = Types(query.Type, problems),
            Since = QueryValues.Timestamp(QueryValues.Text(query.Since), "since", problems),
            Until = QueryValues.Timestamp(QueryValues.Text(query.Until), "until", problems),
        };
        var before = ReadCursor(page.Cursor, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        var filter = activity.Audit();
        filter.Add("(e.user_id = @user OR (e.entity_type = 'user' AND e.entity_id = @user))", "user", filters.User);
        return TypedResults.Ok(await PageAsync(activity, Common(activity, filter, filters), page, before, filters, ActivityEntries.Audit, ct));
    }

    private static EventFilter Common(ActivityQueries activity, EventFilter filter, ActivityFilters filters)
    {
        activity.OfTypes(filter, filters.Type);
        filter.Add("e.created_at >= @since", "since", filters.Since);
        filter.Add("e.created_at < @until", "until", filters.Until);
        return filter;
    }

    private static async Task<ListEnvelope<T, ActivityFilters>> PageAsync<T>(
        ActivityQueries activity, EventFilter filter, PageRequest page, long? before, ActivityFilters filters, Func<ActivityRow, T> entry, CancellationToken ct)
    {
        var (rows, total, hasMore) = await activity.PageAsync(filter, page, before, ct);
        var next = hasMore ? Cursor.Encode(new ActivityCursor(rows[^1].Seq)) : null;
        return new ListEnvelope<T, ActivityFilters>(rows.Select(entry).ToList(), total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, filters);
    }

    /// <summary>Event types are words of the log (<c>task_updated</c>): lowercase letters, digits and underscores.</summary>
    private static List<string>? Types(string? raw, ValidationProblems problems)
    {
        if (QueryValues.Text(raw) is not { } text)
        {
            return null;
        }

        var types = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (types.Count == 0 || types.Count > MaxTypes || types.Any(t => t.Length > InputLimits.WordLength || !EventType().IsMatch(t)))
        {
            problems.Add("type", $"'type' is up to {MaxTypes} event types separated by commas, each of lowercase letters, digits and underscores (task_updated)", ErrorCodes.InvalidFormat);
            return null;
        }

        return types;
    }

    private static long? ReadCursor(string? raw, ValidationProblems problems)
    {
        if (raw is null)
        {
            return null;
        }

        if (!Cursor.TryDecode<ActivityCursor>(raw, out var cursor) || cursor is null || cursor.Seq < 1)
        {
            problems.Add("cursor", "The cursor is not valid; start again without it", ErrorCodes.InvalidFormat);
            return null;
        }

        return cursor.Seq;
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex EventType();
}
