using System.Net;

namespace Montu.Server.Tests.Features.Playlists;

public sealed class PlaylistCrudTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    [Fact]
    public async Task Create_answers_the_new_playlist_and_get_reads_it_back()
    {
        var project = await _admin.CreateProject();

        var response = await _admin.PostJson(PlaylistBuilders.Url, new { project_id = project, name = " Lighting dailies ", description = "Shots for Tuesday", reviewDate = "2025-08-29" });
        var created = await response.Expect(HttpStatusCode.Created);
        var read = await _admin.GetPlaylist(created.Str("id"));

        Assert.StartsWith("playlist_", created.Str("id"), StringComparison.Ordinal);
        Assert.Equal($"/api/v1/playlists/{created.Str("id")}", response.Headers.Location!.ToString());
        Assert.Equal("\"1\"", response.ETag());
        Assert.Equal((project, "Lighting dailies", "Shots for Tuesday", "2025-08-29", "open", 1, 0),
            (read.Str("projectId"), read.Str("name"), read.Str("description"), read.Str("reviewDate"), read.Str("status"), read.GetProperty("revision").GetInt32(), read.Items().Count));
        Assert.StartsWith("user_", read.Str("createdBy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_fields_are_400_each_named()
    {
        var project = await _admin.CreateProject();

        var error = await (await _admin.PostJson(PlaylistBuilders.Url, new { projectId = project, name = new string('n', 257), reviewDate = "29/08/2025" }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var blank = await (await _admin.PostJson(PlaylistBuilders.Url, new { projectId = project, name = "  " })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var unknown = await (await _admin.PostJson(PlaylistBuilders.Url, new { projectId = project, name = "x", owner = "me" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["name", "reviewDate"], error.Fields().Order());
        Assert.Equal(["name"], blank.Fields());
        Assert.Contains("owner", unknown.Str("message"));
    }

    [Fact]
    public async Task A_playlist_in_an_unknown_project_is_404()
    {
        var error = await (await _admin.PostJson(PlaylistBuilders.Url, new { projectId = "NOPE_PL", name = "x" })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Contains("NOPE_PL", error.Str("message"));
        await (await _admin.GetAsync($"{PlaylistBuilders.Url}/playlist_nothing")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Patch_changes_the_details_given_and_keeps_the_others()
    {
        var project = await _admin.CreateProject();
        var id = (await _admin.CreatePlaylist(project, reviewDate: "2025-08-29")).Str("id");

        var patched = await (await _admin.PatchJson($"{PlaylistBuilders.Url}/{id}", new { name = "Client review" })).Expect(HttpStatusCode.OK);
        var same = await (await _admin.PatchJson($"{PlaylistBuilders.Url}/{id}", new { name = "Client review" })).Expect(HttpStatusCode.OK);

        Assert.Equal(("Client review", "2025-08-29", 2), (patched.Str("name"), patched.Str("reviewDate"), patched.GetProperty("revision").GetInt32()));
        Assert.Equal(2, same.GetProperty("revision").GetInt32());
        var error = await (await _admin.PatchJson($"{PlaylistBuilders.Url}/{id}", new { status = "closed" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("status", error.Str("message"));
    }

    [Fact]
    public async Task Delete_archives_it_out_of_lists_and_it_stays_readable()
    {
        var project = await _admin.CreateProject();
        var kept = (await _admin.CreatePlaylist(project, "Kept")).Str("id");
        var gone = (await _admin.CreatePlaylist(project, "Gone")).Str("id");

        var archived = await (await _admin.DeleteAsync($"{PlaylistBuilders.Url}/{gone}")).Expect(HttpStatusCode.OK);
        var again = await (await _admin.DeleteAsync($"{PlaylistBuilders.Url}/{gone}")).Expect(HttpStatusCode.OK);

        Assert.Equal(("archived", 2), (archived.Str("status"), archived.GetProperty("revision").GetInt32()));
        Assert.Equal(2, again.GetProperty("revision").GetInt32());
        Assert.Equal("archived", (await _admin.GetPlaylist(gone)).Str("status"));
        var listed = await (await _admin.GetAsync($"{PlaylistBuilders.Url}?project_id={project}")).Expect(HttpStatusCode.OK);
        Assert.Equal([kept], listed.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
        var archivedList = await (await _admin.GetAsync($"{PlaylistBuilders.Url}?project_id={project}&status=archived")).Expect(HttpStatusCode.OK);
        Assert.Equal([gone], archivedList.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
        var refused = await (await _admin.PatchJson($"{PlaylistBuilders.Url}/{gone}", new { name = "Back" })).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        Assert.Contains("archived", refused.Str("message"));
    }

    [Fact]
    public async Task The_list_filters_by_project_and_status_newest_first_with_item_counts_and_pages_by_cursor()
    {
        var project = await _admin.CreateProject();
        var other = await _admin.CreateProject();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await _admin.CreatePlaylist(project, $"Dailies {i}")).Str("id"));
        }

        await _admin.CreatePlaylist(other);
        var task = (await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_count"))).Str("id");
        await _admin.AddItem(ids[0], new { mediaId = (await _admin.UploadPng(task)).Str("id") });

        var first = await (await _admin.GetAsync($"{PlaylistBuilders.Url}?project_id={project}&page_size=2")).Expect(HttpStatusCode.OK);
        var second = await (await _admin.GetAsync($"{PlaylistBuilders.Url}?project_id={project}&page_size=2&cursor={first.Str("nextCursor")}")).Expect(HttpStatusCode.OK);
        var oldestFirst = await (await _admin.GetAsync($"{PlaylistBuilders.Url}?project_id={project}&order=asc&status=open")).Expect(HttpStatusCode.OK);

        Assert.Equal(3, first.GetProperty("total").GetInt64());
        Assert.Equal([ids[2], ids[1]], first.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
        Assert.Equal([ids[0]], second.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
        Assert.Equal(1, second.GetProperty("items")[0].GetProperty("itemCount").GetInt32());
        Assert.False(second.GetProperty("items")[0].TryGetProperty("items", out _));
        Assert.Equal(ids, oldestFirst.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
        Assert.Equal("open", oldestFirst.GetProperty("filtersApplied").Str("status"));
        var bad = await (await _admin.GetAsync($"{PlaylistBuilders.Url}?status=pending")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["status"], bad.Fields());
        var mixed = await (await _admin.GetAsync($"{PlaylistBuilders.Url}?project_id={project}&order=asc&cursor={first.Str("nextCursor")}")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["cursor"], mixed.Fields());
    }
}
