using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Media;

public abstract class MediaListTests<TApp>(TApp app) where TApp : TestApp
{
    private readonly HttpClient _client = app.Client;

    private async Task<JsonElement> ListAsync(string query) => await (await _client.GetAsync($"/api/v1/media?{query}")).Expect(HttpStatusCode.OK);

    private static List<string> Names(JsonElement list) => list.GetProperty("items").EnumerateArray().Select(m => m.Str("fileName")).ToList();

    /// <summary>A project with two tasks: a.png (v001) and b.png (v002) on the first, c.txt on the second, d.txt on the project.</summary>
    private async Task<(string Project, string First, string Second)> ShowAsync()
    {
        var project = await _client.CreateProject();
        var first = (await _client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id");
        var second = (await _client.CreateTask(TaskBuilders.ShotTask(project, episode: project, shot: "sh0030"))).Str("id");
        await (await _client.PostMedia("a.png", MediaBuilders.Png, ("task_id", first), ("tags", "beauty,wip"))).Expect(HttpStatusCode.Created);
        await (await _client.PostMedia("b.png", MediaBuilders.Png, ("task_id", first), ("tags", "beauty"), ("description", "Final look"))).Expect(HttpStatusCode.Created);
        await (await _client.PostMedia("c.txt", MediaBuilders.Text("c"), ("task_id", second), ("tags", "wip"))).Expect(HttpStatusCode.Created);
        await (await _client.PostMedia("d.txt", MediaBuilders.Text("d"), ("project_id", project))).Expect(HttpStatusCode.Created);
        return (project, first, second);
    }

    [StorageFact]
    public async Task Filters_narrow_the_list_and_are_reported()
    {
        var (project, first, _) = await ShowAsync();

        var byTask = await ListAsync($"task_id={first}");
        var byType = await ListAsync($"project_id={project}&media_type=image");
        var byExtension = await ListAsync($"project_id={project}&file_type=txt");
        var allTags = await ListAsync($"project_id={project}&tags=beauty,wip");
        var search = await ListAsync($"project_id={project}&search=FINAL");
        var version = await ListAsync($"project_id={project}&version=2");

        Assert.Equal(["a.png", "b.png"], Names(byTask));
        Assert.Equal(["a.png", "b.png"], Names(byType));
        Assert.Equal(["c.txt", "d.txt"], Names(byExtension));
        Assert.Equal(["a.png"], Names(allTags));
        Assert.Equal(["b.png"], Names(search));
        Assert.Equal(["b.png"], Names(version));
        Assert.Equal(JsonSerializer.SerializeToElement(new { projectId = project, fileType = ".txt" }).ToString(), byExtension.GetProperty("filtersApplied").ToString());
        Assert.Equal(2, byTask.GetProperty("total").GetInt64());
    }

    [StorageFact]
    public async Task Sorts_are_stable_and_a_cursor_walks_every_version_once()
    {
        var (project, _, _) = await ShowAsync();

        var byName = await ListAsync($"project_id={project}&sort=file_name&order=desc");
        var byVersion = await ListAsync($"project_id={project}&sort=version");
        var seen = new List<string>();
        var page = await ListAsync($"project_id={project}&page_size=3");
        seen.AddRange(Names(page));
        page = await ListAsync($"project_id={project}&page_size=3&cursor={Uri.EscapeDataString(page.Str("nextCursor"))}");
        seen.AddRange(Names(page));

        Assert.Equal(["d.txt", "c.txt", "b.png", "a.png"], Names(byName));
        Assert.Equal("d.txt", Names(byVersion)[^1]);
        Assert.Equal(["a.png", "b.png", "c.txt", "d.txt"], seen);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [StorageFact]
    public async Task A_tasks_media_come_newest_version_first()
    {
        var (_, first, _) = await ShowAsync();

        var media = await (await _client.GetAsync($"/api/v1/tasks/{first}/media")).Expect(HttpStatusCode.OK);

        Assert.Equal(["v002", "v001"], media.EnumerateArray().Select(m => m.Str("linkedVersion")));
    }

    [StorageFact]
    public async Task Bad_filters_are_400_naming_them()
    {
        var error = await (await _client.GetAsync("/api/v1/media?media_type=hologram&sort=size&approval_status=maybe")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["media_type", "approval_status", "sort"], error.Fields());
    }

    [StorageFact]
    public async Task The_v2_shape_lists_media_in_snake_case()
    {
        var (project, _, _) = await ShowAsync();

        var legacy = await ListAsync($"project_id={project}&api_version=2.0");

        var first = legacy.GetProperty("media")[0];
        Assert.True(first.TryGetProperty("storage_url", out _));
        Assert.True(first.GetProperty("metadata").TryGetProperty("file_size", out _));
        Assert.Equal(4, legacy.GetProperty("total").GetInt64());
    }
}

public sealed class LocalMediaListTests(TestApp app) : MediaListTests<TestApp>(app), IClassFixture<TestApp>;

public sealed class S3MediaListTests(S3TestApp app) : MediaListTests<S3TestApp>(app), IClassFixture<S3TestApp>;
