using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.WorkFiles;

/// <summary>A task's work-file versions: allocation, publishing, the list, and who may change them.</summary>
public sealed class WorkFileVersionTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    /// <summary>A project with SWA's three templates and a shot task of it, Ep01 sq0010 SH0020 lighting, with any extra fields.</summary>
    private async Task<(string Project, string Task)> CreateShotAsync(params (string Key, object? Value)[] fields)
    {
        var id = Builders.NewProjectId("WF");
        var project = Builders.Project(id);
        project["templates"] = new Dictionary<string, object?>
        {
            ["working_file"] = "{drive_working}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/{filename}",
            ["render_output"] = "{drive_render}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/v{version}/",
            ["media_file"] = "{drive_media}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/v{version}/media/",
        };
        await (await _client.PostJson("/api/v1/projects", project)).Expect(HttpStatusCode.Created);
        var body = TaskBuilders.ShotTask(id, "Ep01", "sq0010", "SH0020");
        foreach (var (key, value) in fields)
        {
            body[key] = value;
        }

        return (id, (await _client.CreateTask(body)).Str("id"));
    }

    private static string VersionsUrl(string task) => $"/api/v1/tasks/{task}/versions";

    [Fact]
    public async Task Each_allocation_takes_the_next_number_with_its_paths_and_moves_the_task_on()
    {
        var (project, task) = await CreateShotAsync();
        var before = await _client.GetTask(task);

        var response = await _client.PostJson(VersionsUrl(task), new { comment = "blocking" });
        var first = await response.Expect(HttpStatusCode.Created);

        Assert.Equal("v001", first.Str("version"));
        Assert.Equal($"V:/{project}/all/scene/Ep01/sq0010/sh0020/lighting/version/Ep01_sq0010_sh0020_lighting_master_v001.ma", first.Str("workingFilePath"));
        Assert.Equal("Ep01_sq0010_sh0020_lighting_master_v001.ma", first.Str("filename"));
        Assert.Equal($"W:/{project}/all/scene/Ep01/sq0010/sh0020/lighting/version/v001/", first.Str("renderOutputPath"));
        Assert.Equal($"E:/{project}/all/scene/Ep01/sq0010/sh0020/lighting/version/v001/media/", first.Str("mediaFilePath"));
        Assert.Equal("blocking", first.Str("comment"));
        Assert.False(first.GetProperty("published").GetBoolean());
        Assert.Equal((await (await _client.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK)).Str("userId"), first.Str("createdBy"));
        Assert.Equal($"\"{first.GetProperty("taskRevision").GetInt32()}\"", response.ETag());

        var second = await (await _client.PostJson(VersionsUrl(task), new { })).Expect(HttpStatusCode.Created);

        Assert.Equal("v002", second.Str("version"));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("comment").ValueKind);
        var after = await _client.GetTask(task);
        Assert.Equal(["v001", "v002"], after.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("v002", after.Str("currentVersion"));
        Assert.Equal(before.GetProperty("revision").GetInt32() + 2, after.GetProperty("revision").GetInt32());
        Assert.Equal(second.GetProperty("taskRevision").GetInt32(), after.GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task An_allocation_is_a_task_updated_event_with_its_changes()
    {
        var (project, task) = await CreateShotAsync();
        var head = (await (await _client.GetAsync($"/api/v1/changes?project_id={project}&since=0")).Expect(HttpStatusCode.OK)).GetProperty("nextSince").GetInt64();

        await (await _client.PostJson(VersionsUrl(task), new { comment = "first" })).Expect(HttpStatusCode.Created);

        var feed = await (await _client.GetAsync($"/api/v1/changes?project_id={project}&since={head}")).Expect(HttpStatusCode.OK);
        var change = Assert.Single(feed.GetProperty("items").EnumerateArray());
        Assert.Equal("task_updated", change.Str("type"));
        Assert.Equal(task, change.Str("entityId"));
        var changes = change.GetProperty("data").GetProperty("changes");
        Assert.Equal("v001", changes.Str("currentVersion"));
        Assert.Equal(["v001"], changes.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task The_next_number_follows_a_current_version_set_by_hand()
    {
        var (_, task) = await CreateShotAsync(("currentVersion", "v007"));

        var allocated = await (await _client.PostJson(VersionsUrl(task), new { })).Expect(HttpStatusCode.Created);

        Assert.Equal("v008", allocated.Str("version"));
        Assert.Contains("_master_v008.ma", allocated.Str("workingFilePath"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_takes_any_spelling_of_an_allocated_version_and_refuses_others()
    {
        var (_, task) = await CreateShotAsync();
        for (var i = 0; i < 3; i++)
        {
            await (await _client.PostJson(VersionsUrl(task), new { comment = $"take {i + 1}" })).Expect(HttpStatusCode.Created);
        }

        foreach (var spelling in (string[])["v002", "2", "002"])
        {
            var published = await (await _client.PostJson($"{VersionsUrl(task)}/{spelling}/publish", new { })).Expect(HttpStatusCode.OK);
            Assert.Equal("v002", published.Str("publishedVersion"));
            Assert.Equal("v003", published.Str("currentVersion"));
        }

        await (await _client.PostJson($"{VersionsUrl(task)}/v004/publish", new { })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var malformed = await (await _client.PostJson($"{VersionsUrl(task)}/latest/publish", new { })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["version"], malformed.Fields());

        var list = await (await _client.GetAsync(VersionsUrl(task))).Expect(HttpStatusCode.OK);
        Assert.Equal("v002", list.Str("publishedVersion"));
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["v001", "v002", "v003"], items.Select(i => i.Str("version")));
        Assert.Equal(["take 1", "take 2", "take 3"], items.Select(i => i.Str("comment")));
        Assert.Equal([false, true, false], items.Select(i => i.GetProperty("published").GetBoolean()));
        Assert.EndsWith("/version/v002/", items[1].Str("renderOutputPath"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Artists_version_their_own_tasks_only_and_viewers_none()
    {
        var (project, _) = await CreateShotAsync();
        var artist = await app.CreateUser(project, "artist");
        var viewer = await app.CreateUser(project, "viewer");
        var mine = (await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_mine", ("artist", artist.Id)))).Str("id");
        var theirs = (await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_theirs", ("artist", "someone.else")))).Str("id");

        var allocated = await (await artist.Client.PostJson(VersionsUrl(mine), new { })).Expect(HttpStatusCode.Created);
        Assert.Equal(artist.Id, allocated.Str("createdBy"));
        await (await artist.Client.PostJson($"{VersionsUrl(mine)}/v001/publish", new { })).Expect(HttpStatusCode.OK);

        await (await _client.PostJson(VersionsUrl(theirs), new { })).Expect(HttpStatusCode.Created);
        await (await artist.Client.PostJson(VersionsUrl(theirs), new { })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await artist.Client.PostJson($"{VersionsUrl(theirs)}/v001/publish", new { })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await viewer.Client.PostJson(VersionsUrl(mine), new { })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        var list = await (await viewer.Client.GetAsync(VersionsUrl(theirs))).Expect(HttpStatusCode.OK);
        Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("publishedVersion").ValueKind);
    }

    [Fact]
    public async Task Archived_tasks_stale_revisions_unknown_tasks_and_long_comments_are_refused()
    {
        var (_, task) = await CreateShotAsync();
        var allocated = await _client.PostJson(VersionsUrl(task), new { });
        var etag = allocated.ETag()!;
        await allocated.Expect(HttpStatusCode.Created);

        await (await _client.SendWith(HttpMethod.Post, VersionsUrl(task), new { }, ("If-Match", "\"1\""))).ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        var matched = await (await _client.SendWith(HttpMethod.Post, VersionsUrl(task), new { }, ("If-Match", etag))).Expect(HttpStatusCode.Created);
        Assert.Equal("v002", matched.Str("version"));

        var comment = await (await _client.PostJson(VersionsUrl(task), new { comment = new string('c', 10_001) })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["comment"], comment.Fields());
        await (await _client.PostJson(VersionsUrl("no_such_task"), new { })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await _client.GetAsync(VersionsUrl("no_such_task"))).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        await (await _client.DeleteAsync($"/api/v1/tasks/{task}")).Expect(HttpStatusCode.OK);
        await (await _client.PostJson(VersionsUrl(task), new { })).ExpectError((HttpStatusCode)422, "BUSINESS_RULE_VIOLATION");
        await (await _client.PostJson($"{VersionsUrl(task)}/v001/publish", new { })).ExpectError((HttpStatusCode)422, "BUSINESS_RULE_VIOLATION");
        Assert.Equal(2, (await (await _client.GetAsync(VersionsUrl(task))).Expect(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Twenty_concurrent_allocations_get_twenty_consecutive_numbers()
    {
        var (_, task) = await CreateShotAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _client.PostJson(VersionsUrl(task), new { })));
        var versions = new List<string>();
        foreach (var response in responses)
        {
            versions.Add((await response.Expect(HttpStatusCode.Created)).Str("version"));
        }

        var expected = Enumerable.Range(1, 20).Select(n => $"v{n:D3}").ToList();
        Assert.Equal(expected, versions.Order(StringComparer.Ordinal));
        var after = await _client.GetTask(task);
        Assert.Equal("v020", after.Str("currentVersion"));
        Assert.Equal(expected, after.GetProperty("versions").EnumerateArray().Select(v => v.GetString()!).Order(StringComparer.Ordinal));
    }
}
