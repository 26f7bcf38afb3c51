using System.Net;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>The steps of the document walk for notifications, activity and audit, and analytics.</summary>
public sealed partial class OpenApiContractTests
{
    private async Task Notifications(string projectId, TestUser member)
    {
        const string list = "/api/v1/notifications", one = "/api/v1/notifications/{notificationId}", preferences = "/api/v1/users/me/notification-preferences";
        var sent = await Call(app.Client, Post, list, list, HttpStatusCode.Created, new { userId = member.Id, type = "review_session", title = "Dailies", message = "At 3pm", data = new { projectId } });
        await Call(app.Client, Post, list, list, HttpStatusCode.BadRequest, new { userId = member.Id, type = "Review Session", title = "Dailies", message = "At 3pm" });
        await Call(app.Client, Post, list, list, HttpStatusCode.UnprocessableEntity, new { userId = "usr_nobody", type = "x", title = "t", message = "m" });
        await Call(member.Client, Post, list, list, HttpStatusCode.Forbidden, new { userId = member.Id, type = "x", title = "t", message = "m" });
        await Call(member.Client, Post, list, list, HttpStatusCode.NotFound, new { userId = member.Id, type = "x", title = "t", message = "m", data = new { projectId = "NOPE" } });
        await Call(member.Client, Get, list, $"{list}?is_read=false&type=review_session&priority=medium&project_id={projectId}", HttpStatusCode.OK);
        await Call(member.Client, Get, list, $"{list}?is_read=perhaps", HttpStatusCode.BadRequest);
        await Call(member.Client, Get, $"{list}/stats", $"{list}/stats", HttpStatusCode.OK);
        var url = $"{list}/{sent.GetProperty("items")[0].Str("id")}";
        await Call(member.Client, Put, one, url, HttpStatusCode.OK, new { isRead = true });
        await Call(member.Client, Put, one, url, HttpStatusCode.BadRequest, new { });
        await Call(app.Client, Put, one, url, HttpStatusCode.NotFound, new { isRead = true });
        await Call(member.Client, Patch, one, url, HttpStatusCode.OK, new { isRead = false });
        await Call(member.Client, Patch, one, url, HttpStatusCode.BadRequest, new { isRead = "yes" });
        await Call(app.Client, Patch, one, url, HttpStatusCode.NotFound, new { isRead = true });
        await Call(member.Client, Post, $"{list}/read-all", $"{list}/read-all?type=review_session", HttpStatusCode.OK);
        await Call(app.Client, Delete, one, url, HttpStatusCode.NotFound);
        await Call(member.Client, Delete, one, url, HttpStatusCode.NoContent);
        await Call(member.Client, Get, preferences, preferences, HttpStatusCode.OK);
        await Call(member.Client, Put, preferences, preferences, HttpStatusCode.OK, new { muted = (string[])["mention"] });
        await Call(member.Client, Put, preferences, preferences, HttpStatusCode.BadRequest, new { muted = (string[])["Not A Type"] });
    }

    private async Task ActivityAndAudit(string projectId, TestUser member)
    {
        const string activity = "/api/v1/activity", audit = "/api/v1/audit";
        const string taskHistory = "/api/v1/tasks/{taskId}/history", mediaHistory = "/api/v1/media/{mediaId}/history";
        var task = (await app.Client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_history"))).Str("id");
        await (await app.Client.PatchJson($"/api/v1/tasks/{task}", new { status = "in_progress" })).Expect(HttpStatusCode.OK);
        var media = (await app.Client.UploadPng(task)).Str("id");
        await Call(app.Client, Get, activity, $"{activity}?project_id={projectId}&type=task_updated,task_created&page_size=2", HttpStatusCode.OK);
        await Call(app.Client, Get, activity, $"{activity}?since=yesterday", HttpStatusCode.BadRequest);
        await Call(member.Client, Get, activity, $"{activity}?project_id=NOPE", HttpStatusCode.NotFound);
        await Call(app.Client, Get, taskHistory, $"/api/v1/tasks/{task}/history", HttpStatusCode.OK);
        await Call(app.Client, Get, taskHistory, $"/api/v1/tasks/{task}/history?cursor=junk", HttpStatusCode.BadRequest);
        await Call(app.Client, Get, taskHistory, "/api/v1/tasks/nope/history", HttpStatusCode.NotFound);
        await Call(app.Client, Get, mediaHistory, $"/api/v1/media/{media}/history", HttpStatusCode.OK);
        await Call(app.Client, Get, mediaHistory, $"/api/v1/media/{media}/history?page=0", HttpStatusCode.BadRequest);
        await Call(app.Client, Get, mediaHistory, "/api/v1/media/media_nope/history", HttpStatusCode.NotFound);
        await Call(app.Client, Get, audit, $"{audit}?type=user_signed_in,sign_in_failed&page_size=5", HttpStatusCode.OK);
        await Call(app.Client, Get, audit, $"{audit}?type=Not-A-Type", HttpStatusCode.BadRequest);
        await Call(member.Client, Get, audit, audit, HttpStatusCode.Forbidden);
    }

    private async Task Analytics(string projectId, TestUser member)
    {
        const string analytics = "/api/v1/projects/{projectId}/analytics";
        await Call(app.Client, Get, analytics, $"/api/v1/projects/{projectId}/analytics?time_range=last_90_days", HttpStatusCode.OK);
        await Call(member.Client, Get, analytics, $"/api/v1/projects/{projectId}/analytics?from=2026-01-01&to=2026-12-31", HttpStatusCode.OK);
        await Call(app.Client, Get, analytics, $"/api/v1/projects/{projectId}/analytics?time_range=last_week", HttpStatusCode.BadRequest);
        await Call(app.Client, Get, analytics, "/api/v1/projects/NOPE/analytics", HttpStatusCode.NotFound);
    }
}
