using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Notifications;

/// <summary>A user's notifications: list, count, mark read, delete, send, preferences (docs/api.md §Notifications).</summary>
public static class NotificationsApi
{
    public static IServiceCollection AddMontuNotifications(this IServiceCollection services) => services
        .AddSingleton<NotificationQueries>()
        .AddSingleton<NotificationWriter>()
        .AddSingleton<NotificationChanges>()
        .AddSingleton<NotificationSweep>()
        .AddSingleton<IJobHandler>(sp => sp.GetRequiredService<NotificationSweep>());

    public static void MapNotificationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/notifications").WithTags("Notifications").RequireSignedIn();
        group.MapGet("/", List).WithName("ListNotifications")
            .WithSummary("Your notifications, newest first: filters, page or cursor; expired ones are never listed").ProducesErrors(400, 401);
        group.MapPost("/", Send).WithName("SendNotification")
            .WithSummary("Send a notification: server admins to any user; project managers to members of the project named in data.projectId")
            .WithDescription("One notification per recipient, each delivered on the recipient's notification channel as notification_created. "
                + "Recipients who muted the type or the project get none, and are not in the answer.")
            .ProducesErrors(400, 401, 403, 404, 415, 422);
        group.MapGet("/stats", Stats).WithName("GetNotificationStats")
            .WithSummary("Your notifications counted: total, unread, and by type, unread by type, and by priority").ProducesErrors(401);
        group.MapPost("/read-all", ReadAll).WithName("MarkAllNotificationsRead")
            .WithSummary("Mark all your unread notifications read, or those of one type or project; answers how many").ProducesErrors(400, 401);
        group.MapPut("/{notificationId}", Mark).WithName("ReplaceNotificationReadState")
            .WithSummary("Mark one of your notifications read or unread (another user's is 404)").ProducesErrors(400, 401, 404, 415);
        group.MapPatch("/{notificationId}", Mark).WithName("UpdateNotificationReadState")
            .WithSummary("Mark one of your notifications read or unread (another user's is 404)").ProducesErrors(400, 401, 404, 415);
        group.MapDelete("/{notificationId}", Delete).WithName("DeleteNotification")
            .WithSummary("Delete one of your notifications (another user's is 404)").ProducesErrors(401, 404);

        var preferences = api.MapGroup("/users/me/notification-preferences").WithTags("Notifications").RequireSignedIn();
        preferences.MapGet("/", GetPreferences).WithName("GetNotificationPreferences")
            .WithSummary("The notification types and projects you muted").ProducesErrors(401);
        preferences.MapPut("/", PutPreferences).WithName("SetNotificationPreferences")
            .WithSummary("Mute notification types and projects: none of them is created for you from now on; both lists replace what was set")
            .ProducesErrors(400, 401, 415);
    }

    public sealed record ListQuery(
        [property: FromQuery(Name = "page"), Description("Page number, from 1; ignored when cursor is given")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from a previous page's nextCursor")] string? Cursor,
        [property: FromQuery(Name = "is_read"), Description("true for read ones, false for unread ones")] string? IsRead,
        [property: FromQuery(Name = "type"), Description("Notification type, such as task_assigned")] string? Type,
        [property: FromQuery(Name = "priority"), Description("low, medium, high or urgent")] string? Priority,
        [property: FromQuery(Name = "project_id"), Description("Project id")] string? ProjectId);

    public sealed record ReadAllQuery(
        [property: FromQuery(Name = "type"), Description("Only notifications of this type")] string? Type,
        [property: FromQuery(Name = "project_id"), Description("Only notifications about this project")] string? ProjectId);

    private static async Task<Results<Ok<ListEnvelope<Notification, NotificationFilters>>, ApiError>> List(
        [AsParameters] ListQuery query, NotificationQueries notifications, Caller caller, TimeProvider time, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var filters = new NotificationFilters
        {
            IsRead = QueryValues.Bool(query.IsRead, "is_read", problems),
            Type = QueryValues.Text(query.Type),
            Priority = QueryValues.OneOf(QueryValues.Text(query.Priority), "priority", NotificationRules.Priorities, problems),
            ProjectId = QueryValues.Text(query.ProjectId),
        };
        NotificationCursor? after = null;
        if (page.Cursor is { } raw && (!Cursor.TryDecode(raw, out after) || after?.Id is null))
        {
            problems.Add("cursor", "The cursor is not valid; start again without it", ErrorCodes.InvalidFormat);
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        var now = TaskChanges.Stored(time.GetUtcNow().UtcDateTime);
        var (rows, total, hasMore) = await notifications.ListAsync(caller.UserId, filters, now, page, after, ct);
        var next = hasMore ? Cursor.Encode(new NotificationCursor(DateTime.SpecifyKind(rows[^1].CreatedAt, DateTimeKind.Utc), rows[^1].Id)) : null;
        return TypedResults.Ok(new ListEnvelope<Notification, NotificationFilters>(
            rows.Select(r => r.ToNotification()).ToList(), total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, filters));
    }

    private static async Task<Results<Created<SentNotifications>, ApiError>> Send(SendNotificationRequest body, NotificationChanges changes, Caller caller, CancellationToken ct)
    {
        var (sent, error) = await changes.SendAsync(body, caller, ct);
        return error is not null ? error : TypedResults.Created("/api/v1/notifications", sent!);
    }

    private static async Task<Ok<NotificationStats>> Stats(NotificationQueries notifications, Caller caller, TimeProvider time, CancellationToken ct)
    {
        var counts = await notifications.CountsAsync(caller.UserId, TaskChanges.Stored(time.GetUtcNow().UtcDateTime), ct);
        static Dictionary<string, long> Sum(IEnumerable<(string Key, long Count)> rows) =>
            rows.GroupBy(r => r.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => r.Count), StringComparer.Ordinal);
        return TypedResults.Ok(new NotificationStats(
            counts.Sum(c => c.Count),
            counts.Where(c => !c.IsRead).Sum(c => c.Count),
            Sum(counts.Select(c => (c.Type, c.Count))),
            Sum(counts.Where(c => !c.IsRead).Select(c => (c.Type, c.Count))),
            Sum(counts.Select(c => (c.Priority, c.Count)))));
    }

    private static async Task<Ok<ReadAllResult>> ReadAll([AsParameters] ReadAllQuery query, NotificationChanges changes, Caller caller, CancellationToken ct) =>
        TypedResults.Ok(await changes.ReadAllAsync(QueryValues.Text(query.Type), QueryValues.Text(query.ProjectId), caller, ct));

    private static async Task<Results<Ok<Notification>, ApiError>> Mark(string notificationId, UpdateNotificationRequest body, NotificationChanges changes, Caller caller, CancellationToken ct)
    {
        var outcome = await changes.MarkAsync(notificationId, body, caller, ct);
        return outcome.Error is { } error ? error : TypedResults.Ok(outcome.Notification!);
    }

    private static async Task<Results<NoContent, ApiError>> Delete(string notificationId, NotificationChanges changes, Caller caller, CancellationToken ct) =>
        await changes.DeleteAsync(notificationId, caller, ct) is { } error ? error : TypedResults.NoContent();

    private static async Task<Ok<NotificationPreferences>> GetPreferences(NotificationQueries notifications, Caller caller, CancellationToken ct) =>
        TypedResults.Ok(await notifications.PreferencesAsync(caller.UserId, ct));

    private static async Task<Results<Ok<NotificationPreferences>, ApiError>> PutPreferences(
        NotificationPreferencesRequest body, NotificationChanges changes, Caller caller, CancellationToken ct)
    {
        var (saved, error) = await changes.SavePreferencesAsync(body, caller, ct);
        return error is not null ? error : TypedResults.Ok(saved!);
    }
}
