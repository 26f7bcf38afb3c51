using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Playlists;

public sealed class PlaylistItemTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    private static string Ids(JsonElement playlist) => string.Join(",", playlist.Items().Select(i => i.Str("mediaId")));

    [Fact]
    public async Task An_item_added_by_media_id_carries_the_media_resource_as_media_get_gives_it()
    {
        var (project, tasks, media) = await _admin.ShowWithVersions(1);
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        await _admin.UntilProcessedAsync(media[0]);

        var answered = await _admin.AddItem(playlist, new { mediaId = media[0] });
        var item = (await _admin.GetPlaylist(playlist)).Items().Single();
        var direct = await (await _admin.GetAsync($"/api/v1/media/{media[0]}")).Expect(HttpStatusCode.OK);

        Assert.Equal(2, answered.GetProperty("revision").GetInt32());
        Assert.StartsWith("pli_", item.Str("id"), StringComparison.Ordinal);
        Assert.Equal((media[0], tasks[0], false, 0), (item.Str("mediaId"), item.Str("taskId"), item.GetProperty("followLatest").GetBoolean(), item.GetProperty("position").GetInt32()));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("decision").ValueKind);
        Assert.Equal(direct.GetRawText(), item.GetProperty("media").GetRawText());
    }

    [Fact]
    public async Task By_task_id_an_item_pins_the_newest_version_or_follows_it_after_a_new_upload()
    {
        var (project, tasks, media) = await _admin.ShowWithVersions(1);
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        await _admin.AddItem(playlist, new { taskId = tasks[0] });
        await _admin.AddItem(playlist, new { task_id = tasks[0], follow_latest = true });

        var v2 = (await _admin.UploadPng(tasks[0])).Str("id");
        var read = await _admin.GetPlaylist(playlist);

        Assert.Equal($"{media[0]},{v2}", Ids(read));
        Assert.Equal("v002", read.Items()[1].GetProperty("media").Str("linkedVersion"));
        Assert.True(read.Items()[1].GetProperty("followLatest").GetBoolean());
    }

    [Fact]
    public async Task Bump_pins_the_newest_version_and_clears_a_decision_taken_on_the_older_one()
    {
        var (project, tasks, media) = await _admin.ShowWithVersions(1);
        var playlist = await _admin.CreatePlaylist(project);
        var item = (await _admin.AddItem(playlist.Str("id"), new { mediaId = media[0] })).ItemOf(media[0]);
        var url = $"{PlaylistBuilders.Url}/{playlist.Str("id")}/items/{item}";
        await (await _admin.PatchJson(url, new { decision = "needs_revision", decisionNotes = "Darker" })).Expect(HttpStatusCode.OK);
        var v2 = (await _admin.UploadPng(tasks[0])).Str("id");

        var bumped = (await (await _admin.PostAsync($"{url}/bump", null)).Expect(HttpStatusCode.OK)).Items().Single();
        var again = await (await _admin.PostAsync($"{url}/bump", null)).Expect(HttpStatusCode.OK);

        Assert.Equal((item, v2, "v002"), (bumped.Str("id"), bumped.Str("mediaId"), bumped.GetProperty("media").Str("linkedVersion")));
        Assert.Equal(JsonValueKind.Null, bumped.GetProperty("decision").ValueKind);
        Assert.Equal(4, again.GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task Position_puts_an_item_between_others_and_removing_one_closes_the_gap()
    {
        var (project, _, media) = await _admin.ShowWithVersions(3);
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        await _admin.AddItem(playlist, new { mediaId = media[0] });
        await _admin.AddItem(playlist, new { mediaId = media[1] });

        var inserted = await _admin.AddItem(playlist, new { mediaId = media[2], position = 1 });
        var removed = await (await _admin.DeleteAsync($"{PlaylistBuilders.Url}/{playlist}/items/{inserted.ItemOf(media[0])}")).Expect(HttpStatusCode.OK);

        Assert.Equal($"{media[0]},{media[2]},{media[1]}", Ids(inserted));
        Assert.Equal([0, 1, 2], inserted.Items().Select(i => i.GetProperty("position").GetInt32()));
        Assert.Equal($"{media[2]},{media[1]}", Ids(removed));
        Assert.Equal([0, 1], removed.Items().Select(i => i.GetProperty("position").GetInt32()));
        await (await _admin.DeleteAsync($"{PlaylistBuilders.Url}/{playlist}/items/pli_nothing")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Order_takes_every_item_exactly_once()
    {
        var (project, _, media) = await _admin.ShowWithVersions(3);
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        JsonElement filled = default;
        foreach (var id in media)
        {
            filled = await _admin.AddItem(playlist, new { mediaId = id });
        }

        var items = filled.Items().Select(i => i.Str("id")).ToList();
        var url = $"{PlaylistBuilders.Url}/{playlist}/order";

        var reordered = await (await _admin.PutJson(url, new[] { items[2], items[0], items[1] })).Expect(HttpStatusCode.OK);
        var missing = await (await _admin.PutJson(url, new[] { items[2], items[0] })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var twice = await (await _admin.PutJson(url, new[] { items[2], items[0], items[1], items[1] })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var stranger = await (await _admin.PutJson(url, new[] { items[2], items[0], "pli_stranger" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var notList = await (await _admin.PutJson(url, new { itemIds = items })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal($"{media[2]},{media[0]},{media[1]}", Ids(reordered));
        Assert.Contains(items[1], missing.GetProperty("details")[0].Str("message"));
        Assert.Equal(["itemIds[3]"], twice.Fields());
        Assert.Equal(["itemIds[2]", "itemIds"], stranger.Fields());
        Assert.False(string.IsNullOrEmpty(notList.Str("message")));
        Assert.Equal($"{media[2]},{media[0]},{media[1]}", Ids(await _admin.GetPlaylist(playlist)));
    }

    [Fact]
    public async Task A_decision_is_kept_on_the_item_and_pins_a_followed_version()
    {
        var (project, tasks, media) = await _admin.ShowWithVersions(1);
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        var item = (await _admin.AddItem(playlist, new { taskId = tasks[0], followLatest = true })).ItemOf(media[0]);
        var url = $"{PlaylistBuilders.Url}/{playlist}/items/{item}";

        var decided = (await (await _admin.PatchJson(url, new { decision = "approved", decisionNotes = "Lovely" })).Expect(HttpStatusCode.OK)).Items().Single();
        await _admin.UploadPng(tasks[0]);
        var later = (await _admin.GetPlaylist(playlist)).Items().Single();
        var bad = await (await _admin.PatchJson(url, new { decision = "maybe" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var cleared = (await (await _admin.PatchJson(url, new { decision = (string?)null })).Expect(HttpStatusCode.OK)).Items().Single();

        Assert.Equal(("approved", "Lovely", false), (decided.Str("decision"), decided.Str("decisionNotes"), decided.GetProperty("followLatest").GetBoolean()));
        Assert.Equal(media[0], later.Str("mediaId"));
        Assert.Equal(["decision"], bad.Fields());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("decision").ValueKind);
        Assert.Equal("pending", (await (await _admin.GetAsync($"/api/v1/media/{media[0]}")).Json()).Str("approvalStatus"));
    }

    [Fact]
    public async Task Unknown_media_and_tasks_are_404_and_another_projects_are_400_or_404_to_who_cannot_read_it()
    {
        var (project, _, _) = await _admin.ShowWithVersions(0);
        var (other, otherTasks, otherMedia) = await _admin.ShowWithVersions(1);
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        var producer = await app.CreateUser(project, "producer");
        var url = $"{PlaylistBuilders.Url}/{playlist}/items";

        await (await _admin.PostJson(url, new { mediaId = "media_nothing" })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await _admin.PostJson(url, new { taskId = "no_such_task" })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var elsewhere = await (await _admin.PostJson(url, new { mediaId = otherMedia[0] })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var otherTask = await (await _admin.PostJson(url, new { taskId = otherTasks[0] })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var hidden = await (await producer.Client.PostJson(url, new { mediaId = otherMedia[0] })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var both = await (await _admin.PostJson(url, new { mediaId = otherMedia[0], taskId = otherTasks[0] })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var follow = await (await _admin.PostJson(url, new { mediaId = otherMedia[0], followLatest = true })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var emptyTask = (await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_empty"))).Str("id");
        var noVersion = await (await _admin.PostJson(url, new { taskId = emptyTask })).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        Assert.Equal(["mediaId"], elsewhere.Fields());
        Assert.Contains(other, elsewhere.Str("message"));
        Assert.Equal(["taskId"], otherTask.Fields());
        Assert.DoesNotContain(other, hidden.Str("message"));
        Assert.Equal(["mediaId"], both.Fields());
        Assert.Equal(["followLatest"], follow.Fields());
        Assert.Contains(emptyTask, noVersion.Str("message"));
        Assert.Empty((await _admin.GetPlaylist(playlist)).Items());
    }

    [Fact]
    public async Task An_item_whose_media_was_deleted_shows_no_media()
    {
        var (project, _, media) = await _admin.ShowWithVersions(1);
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        await _admin.AddItem(playlist, new { mediaId = media[0] });

        await (await _admin.DeleteAsync($"/api/v1/media/{media[0]}")).Expect(HttpStatusCode.NoContent);
        var item = (await _admin.GetPlaylist(playlist)).Items().Single();

        Assert.Equal(media[0], item.Str("mediaId"));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("media").ValueKind);
    }
}
