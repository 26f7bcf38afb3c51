using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Notifications;

/// <summary>Who is told of which change, and who is not: never the one who made it, never someone outside the project.</summary>
public sealed class NotificationCauseTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    private static async Task<List<JsonElement>> InboxAsync(HttpClient client, string query = "") =>
        [.. (await (await client.GetAsync($"/api/v1/notifications{query}")).Expect(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];

    private async Task<(string Project, string Task)> ShotAsync()
    {
        var project = await _admin.CreateProject();
        return (project, (await _admin.CreateTask(TaskBuilders.ShotTask(project))).Str("id"));
    }

    private static async Task Patch(HttpClient client, string task, object body) => await (await client.PatchJson($"/api/v1/tasks/{task}", body)).Expect(HttpStatusCode.OK);

    [Fact]
    public async Task Assigning_a_task_tells_the_new_artist_and_a_status_change_tells_them_in_words()
    {
        var (project, task) = await ShotAsync();
        var artist = await app.CreateUser(project, "artist");

        await Patch(_admin, task, new { artist = artist.Id });
        await Patch(_admin, task, new { status = "in_progress" });

        var inbox = await InboxAsync(artist.Client);
        Assert.Equal(["task_updated", "task_assigned"], inbox.Select(n => n.Str("type")));
        var moved = inbox[0];
        Assert.Equal((artist.Id, "Task Status Changed", "Lighting task for SH0020 moved to In Progress", false, "medium"),
            (moved.Str("userId"), moved.Str("title"), moved.Str("message"), moved.GetProperty("isRead").GetBoolean(), moved.Str("priority")));
        var data = moved.GetProperty("data");
        Assert.Equal((task, project, "not_started", "in_progress"), (data.Str("taskId"), data.Str("projectId"), data.Str("oldStatus"), data.Str("newStatus")));
        Assert.StartsWith("notif_", moved.Str("id"));
        Assert.Equal(TimeSpan.FromDays(30), moved.GetProperty("expiresAt").GetDateTime() - moved.GetProperty("createdAt").GetDateTime());
        Assert.Equal(("Task Assigned", "Lighting task for SH0020 assigned to you"), (inbox[1].Str("title"), inbox[1].Str("message")));
        Assert.Empty(await InboxAsync(_admin));
    }

    [Fact]
    public async Task The_one_who_makes_the_change_is_not_told_and_neither_is_someone_outside_the_project()
    {
        var (project, task) = await ShotAsync();
        var artist = await app.CreateUser(project, "artist");
        var outsider = await app.CreateUser();
        await Patch(_admin, task, new { artist = artist.Id });

        await Patch(artist.Client, task, new { status = "in_progress" });
        await Patch(_admin, task, new { artist = outsider.Email });

        Assert.Equal(["task_assigned"], (await InboxAsync(artist.Client)).Select(n => n.Str("type")));
        Assert.Empty(await InboxAsync(outsider.Client));
    }

    [Fact]
    public async Task An_artist_named_by_email_or_by_its_name_before_the_at_in_any_case_is_told()
    {
        var (project, task) = await ShotAsync();
        var second = (await _admin.CreateTask(TaskBuilders.ShotTask(project, shot: "SH0030"))).Str("id");
        var artist = await app.CreateUser(project, "artist");

        await Patch(_admin, task, new { artist = artist.Email.ToUpperInvariant() });
        await Patch(_admin, second, new { artist = artist.Email.Split('@')[0] });

        var inbox = await InboxAsync(artist.Client);
        Assert.Equal([second, task], inbox.Select(n => n.GetProperty("data").Str("taskId")));
    }

    [Fact]
    public async Task A_bulk_assignment_tells_each_artist_once_with_the_count_and_the_tasks()
    {
        var project = await _admin.CreateProject();
        var tasks = await _admin.CreateTasks(Enumerable.Range(1, 3).Select(i => TaskBuilders.ShotTask(project, shot: $"SH{i:0000}")));
        var artist = await app.CreateUser(project, "artist");

        var response = await _admin.PostJson("/api/v1/tasks/bulk", new { taskIds = tasks, operation = "assign", data = new { artist = artist.Id } });
        await response.Expect(HttpStatusCode.OK);

        var told = Assert.Single(await InboxAsync(artist.Client));
        Assert.Equal(("task_assigned", "Tasks Assigned", $"3 tasks of {project} assigned to you"), (told.Str("type"), told.Str("title"), told.Str("message")));
        var data = told.GetProperty("data");
        Assert.Equal(3, data.GetProperty("count").GetInt32());
        Assert.Equal(tasks.Order(), data.GetProperty("taskIds").EnumerateArray().Select(t => t.GetString()!).Order());
    }

    [Fact]
    public async Task A_review_decision_tells_the_author_and_the_artist_once_each()
    {
        var (project, task) = await ShotAsync();
        var artist = await app.CreateUser(project, "artist");
        var uploader = await app.CreateUser(project, "supervisor");
        await Patch(_admin, task, new { artist = artist.Id });
        var media = (await uploader.Client.UploadPng(task)).Str("id");

        await (await _admin.PostJson($"/api/v1/media/{media}/approve", new { approvalStatus = "rejected", reviewNotes = "too dark" })).Expect(HttpStatusCode.OK);

        foreach (var user in new[] { artist, uploader })
        {
            var reviewed = (await InboxAsync(user.Client)).Where(n => n.Str("type") != "task_assigned").ToList();
            var told = Assert.Single(reviewed);
            Assert.Equal(("media_reviewed", "Version Rejected", "high"), (told.Str("type"), told.Str("title"), told.Str("priority")));
            Assert.EndsWith("marked Rejected: too dark", told.Str("message"));
            Assert.Equal((media, task, "rejected"), (told.GetProperty("data").Str("mediaId"), told.GetProperty("data").Str("taskId"), told.GetProperty("data").Str("approvalStatus")));
        }
    }

    [Fact]
    public async Task A_note_tells_the_mentioned_as_a_mention_and_the_author_and_a_reply_tells_the_thread()
    {
        var (project, task) = await ShotAsync();
        var artist = await app.CreateUser(project, "artist");
        var director = await app.CreateUser(project, "director");
        await Patch(_admin, task, new { artist = artist.Id });
        var media = (await artist.Client.UploadPng(task)).Str("id");

        var note = await (await _admin.PostJson("/api/v1/annotations", new { mediaId = media, content = "Look at the rim light", mentions = new[] { director.Email, artist.Id } }))
            .Expect(HttpStatusCode.Created);
        await (await director.Client.PostJson("/api/v1/annotations", new { mediaId = media, content = "Agreed", parentId = note.Str("id") })).Expect(HttpStatusCode.Created);

        var mention = Assert.Single(await InboxAsync(director.Client));
        Assert.Equal(("mention", "You Were Mentioned", note.Str("id")), (mention.Str("type"), mention.Str("title"), mention.GetProperty("data").Str("annotationId")));
        Assert.Contains("Look at the rim light", mention.Str("message"), StringComparison.Ordinal);
        Assert.Equal(["annotation_created", "mention", "task_assigned"], (await InboxAsync(artist.Client)).Select(n => n.Str("type")));
        var reply = Assert.Single(await InboxAsync(_admin));
        Assert.Equal(("annotation_created", "New Reply"), (reply.Str("type"), reply.Str("title")));
    }

    [Fact]
    public async Task Muted_types_and_projects_are_never_created()
    {
        var (project, task) = await ShotAsync();
        var (other, otherTask) = await ShotAsync();
        var artist = await app.CreateUser(project, "artist");
        await (await _admin.PostJson($"/api/v1/projects/{other}/users", new { userId = artist.Id, role = "artist" })).Expect(HttpStatusCode.Created);
        await (await artist.Client.PutJson("/api/v1/users/me/notification-preferences", new { muted = (string[])["task_updated"], mutedProjects = (string[])[other] }))
            .Expect(HttpStatusCode.OK);

        await Patch(_admin, task, new { artist = artist.Id });
        await Patch(_admin, task, new { status = "in_progress" });
        await Patch(_admin, otherTask, new { artist = artist.Id });

        var told = Assert.Single(await InboxAsync(artist.Client));
        Assert.Equal(("task_assigned", task), (told.Str("type"), told.GetProperty("data").Str("taskId")));
    }

    [Fact]
    public async Task A_notification_arrives_on_its_users_socket_and_no_one_elses()
    {
        var (project, task) = await ShotAsync();
        var artist = await app.CreateUser(project, "artist");
        var bystander = await app.CreateUser(project, "artist");
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/notifications/{artist.Id}", artist.Tokens.AccessToken);
        await using var other = await TestSocket.ConnectAsync(app, $"/ws/notifications/{bystander.Id}", bystander.Tokens.AccessToken);
        Assert.Equal("ready", (await socket.ReceiveAsync()).Str("type"));
        Assert.Equal("ready", (await other.ReceiveAsync()).Str("type"));

        await Patch(_admin, task, new { artist = artist.Id });

        var created = await socket.ReceiveAsync("notification_created");
        var notification = created.GetProperty("data").GetProperty("notification");
        Assert.Equal((artist.Id, "task_assigned", task), (notification.Str("userId"), notification.Str("type"), notification.GetProperty("data").Str("taskId")));
        Assert.Equal(notification.Str("id"), (await InboxAsync(artist.Client)).Single().Str("id"));
        await (await _admin.PostJson("/api/v1/notifications", new { userId = bystander.Id, type = "ping", title = "Ping", message = "after" })).Expect(HttpStatusCode.Created);
        Assert.Equal("Ping", (await other.ReceiveAsync("notification_created")).GetProperty("data").GetProperty("notification").Str("title"));
    }

    [Fact]
    public async Task Notification_events_stay_off_the_project_channel_and_the_changes_feed()
    {
        var (project, task) = await ShotAsync();
        var artist = await app.CreateUser(project, "artist");
        var since = (await (await _admin.GetAsync($"/api/v1/changes?project_id={project}&since=0")).Expect(HttpStatusCode.OK)).GetProperty("nextSince").GetInt64();

        await Patch(_admin, task, new { artist = artist.Id });

        var feed = await (await _admin.GetAsync($"/api/v1/changes?project_id={project}&since={since}")).Expect(HttpStatusCode.OK);
        Assert.Equal(["task_updated"], feed.GetProperty("items").EnumerateArray().Select(e => e.Str("type")));
        Assert.Single(await InboxAsync(artist.Client));
    }
}
