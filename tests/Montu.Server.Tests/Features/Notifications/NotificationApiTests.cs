using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Notifications;

/// <summary>The notification routes: one's own only, filters and cursor, read state, stats, preferences, and who may send.</summary>
public sealed class NotificationApiTests(TestApp app) : IClassFixture<TestApp>
{
    private const string Route = "/api/v1/notifications";
    private readonly HttpClient _admin = app.Client;

    private async Task<List<string>> SendAsync(string userId, int count, string type = "note", string priority = "medium", string? project = null) =>
        [.. (await (await _admin.PostJson(Route, new
        {
            userIds = Enumerable.Repeat(userId, 1),
            type,
            title = "Heads up",
            message = "A message",
            priority,
            data = project is null ? null : new { projectId = project },
        })).Expect(HttpStatusCode.Created)).GetProperty("items").EnumerateArray().Select(n => n.Str("id"))];

    private static async Task<JsonElement> ListAsync(HttpClient client, string query = "") =>
        await (await client.GetAsync($"{Route}{query}")).Expect(HttpStatusCode.OK);

    [Fact]
    public async Task A_user_lists_their_own_newest_first_by_filter_and_by_cursor()
    {
        var user = await app.CreateUser();
        var project = await _admin.CreateProject();
        var sent = new List<string>();
        foreach (var (type, priority) in new[] { ("a_type", "low"), ("b_type", "high"), ("a_type", "urgent"), ("b_type", "low"), ("a_type", "low") })
        {
            sent.AddRange(await SendAsync(user.Id, 1, type, priority, type == "a_type" ? project : null));
        }

        sent.Reverse();
        Assert.Equal(sent, (await ListAsync(user.Client)).Ids());
        Assert.Equal([sent[0], sent[2], sent[4]], (await ListAsync(user.Client, "?type=a_type")).Ids());
        Assert.Equal([sent[0], sent[1], sent[4]], (await ListAsync(user.Client, "?priority=low")).Ids());
        Assert.Equal([sent[0], sent[2], sent[4]], (await ListAsync(user.Client, $"?project_id={project}")).Ids());

        var first = await ListAsync(user.Client, "?page_size=2");
        Assert.Equal(5, first.GetProperty("total").GetInt64());
        var paged = first.Ids();
        var cursor = first.Str("nextCursor");
        while (cursor is not null)
        {
            var next = await ListAsync(user.Client, $"?page_size=2&cursor={cursor}");
            paged.AddRange(next.Ids());
            cursor = next.GetProperty("nextCursor").GetString();
        }

        Assert.Equal(sent, paged);
        Assert.Empty((await ListAsync(_admin)).Ids().Intersect(sent));
        await (await user.Client.GetAsync($"{Route}?is_read=maybe")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await (await user.Client.GetAsync($"{Route}?priority=critical")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await (await user.Client.GetAsync($"{Route}?cursor=nonsense")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Only_the_owner_marks_read_or_deletes_and_another_users_is_not_found()
    {
        var owner = await app.CreateUser();
        var other = await app.CreateUser();
        var id = (await SendAsync(owner.Id, 1)).Single();

        await (await other.Client.PatchJson($"{Route}/{id}", new { isRead = true })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await other.Client.DeleteAsync($"{Route}/{id}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await owner.Client.PatchJson($"{Route}/{id}", new { })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var read = await (await owner.Client.PatchJson($"{Route}/{id}", new { isRead = true })).Expect(HttpStatusCode.OK);
        Assert.True(read.GetProperty("isRead").GetBoolean());
        Assert.Equal([id], (await ListAsync(owner.Client, "?is_read=true")).Ids());
        var unread = await (await owner.Client.PutJson($"{Route}/{id}", new { isRead = false })).Expect(HttpStatusCode.OK);
        Assert.False(unread.GetProperty("isRead").GetBoolean());
        Assert.Equal([id], (await ListAsync(owner.Client, "?is_read=false")).Ids());

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"{Route}/{id}")).StatusCode);
        await (await owner.Client.DeleteAsync($"{Route}/{id}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Empty((await ListAsync(owner.Client)).Ids());
    }

    [Fact]
    public async Task Read_all_marks_the_unread_ones_of_a_type_and_stats_count_them()
    {
        var user = await app.CreateUser();
        await SendAsync(user.Id, 1, "alpha", "high");
        await SendAsync(user.Id, 1, "alpha", "low");
        await SendAsync(user.Id, 1, "beta", "low");

        var stats = await (await user.Client.GetAsync($"{Route}/stats")).Expect(HttpStatusCode.OK);
        Assert.Equal((3, 3), (stats.GetProperty("total").GetInt64(), stats.GetProperty("unread").GetInt64()));
        Assert.Equal("""{"alpha":2,"beta":1}""", stats.GetProperty("byType").GetRawText());
        Assert.Equal("""{"high":1,"low":2}""", stats.GetProperty("byPriority").GetRawText());

        var marked = await (await user.Client.PostAsync($"{Route}/read-all?type=alpha", null)).Expect(HttpStatusCode.OK);
        Assert.Equal(2, marked.GetProperty("count").GetInt32());
        stats = await (await user.Client.GetAsync($"{Route}/stats")).Expect(HttpStatusCode.OK);
        Assert.Equal((3, 1), (stats.GetProperty("total").GetInt64(), stats.GetProperty("unread").GetInt64()));
        Assert.Equal("""{"beta":1}""", stats.GetProperty("unreadByType").GetRawText());
        Assert.Equal(1, (await (await user.Client.PostAsync($"{Route}/read-all", null)).Expect(HttpStatusCode.OK)).GetProperty("count").GetInt32());
        Assert.Equal(0, (await (await user.Client.PostAsync($"{Route}/read-all", null)).Expect(HttpStatusCode.OK)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Preferences_are_read_back_as_set_and_bad_entries_are_named()
    {
        var user = await app.CreateUser();
        var empty = await (await user.Client.GetAsync("/api/v1/users/me/notification-preferences")).Expect(HttpStatusCode.OK);
        Assert.Equal("""{"muted":[],"mutedProjects":[]}""", empty.GetRawText());

        var bad = await (await user.Client.PutJson("/api/v1/users/me/notification-preferences", new { muted = (string[])["task_updated", "Not A Type"] }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["muted[1]"], bad.Fields());

        await (await user.Client.PutJson("/api/v1/users/me/notification-preferences", new { muted = (string[])["mention", "mention"], mutedProjects = (string[])["SWA"] }))
            .Expect(HttpStatusCode.OK);
        var saved = await (await user.Client.GetAsync("/api/v1/users/me/notification-preferences")).Expect(HttpStatusCode.OK);
        Assert.Equal("""{"muted":["mention"],"mutedProjects":["SWA"]}""", saved.GetRawText());
    }

    [Fact]
    public async Task Managers_send_to_their_projects_members_artists_send_nothing_and_bad_bodies_are_named()
    {
        var project = await _admin.CreateProject();
        var supervisor = await app.CreateUser(project, "supervisor");
        var artist = await app.CreateUser(project, "artist");
        var outsider = await app.CreateUser();
        object Body(string to, string? projectId) => new { userId = to, type = "review_session", title = "Dailies", message = "At 3pm", priority = "high", data = new { projectId } };

        var sent = await (await supervisor.Client.PostJson(Route, Body(artist.Id, project))).Expect(HttpStatusCode.Created);
        var item = Assert.Single(sent.GetProperty("items").EnumerateArray());
        Assert.Equal((artist.Id, "review_session", "Dailies", "high", project), (item.Str("userId"), item.Str("type"), item.Str("title"), item.Str("priority"), item.GetProperty("data").Str("projectId")));
        Assert.Equal([item.Str("id")], (await ListAsync(artist.Client)).Ids());

        var outside = await (await supervisor.Client.PostJson(Route, Body(outsider.Id, project))).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        Assert.Equal(["userId"], outside.Fields());
        await (await supervisor.Client.PostJson(Route, Body(artist.Id, null))).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await artist.Client.PostJson(Route, Body(supervisor.Id, project))).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await _admin.PostJson(Route, Body(outsider.Id, null))).Expect(HttpStatusCode.Created);

        var invalid = await (await _admin.PostJson(Route, new { userId = artist.Id, userIds = new[] { artist.Id }, type = "Bad Type", title = "", message = "m", priority = "critical", expiresAt = "2000-01-01T00:00:00Z" }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["expiresAt", "priority", "title", "type", "userIds"], invalid.Fields().Order(StringComparer.Ordinal));
        var unknown = await (await _admin.PostJson(Route, new { userIds = new[] { artist.Id, "usr_nobody" }, type = "x", title = "t", message = "m" }))
            .ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        Assert.Equal(["userIds[1]"], unknown.Fields());
    }

    [Fact]
    public async Task Lists_past_their_limits_are_400_naming_the_field()
    {
        var many = await (await _admin.PostJson(Route, new { userIds = Enumerable.Range(0, 501).Select(i => $"user_{i}"), type = "x", title = "t", message = "m" }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["userIds"], many.Fields());
        var muted = await (await _admin.PutJson("/api/v1/users/me/notification-preferences", new { muted = Enumerable.Range(0, 101).Select(i => $"type_{i}") }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["muted"], muted.Fields());
    }
}
