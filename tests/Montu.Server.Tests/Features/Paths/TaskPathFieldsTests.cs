using System.Net;
using System.Text.Json;
using Dapper;
using Montu.Server.Tests.Features.TaskImport;

namespace Montu.Server.Tests.Features.Paths;

/// <summary>
/// A task's path fields are laid out from its project's templates unless a client pins them, and
/// follow the task's names, its current version and the project's templates.
/// </summary>
public sealed class TaskPathFieldsTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    /// <summary>A project with a template for each path field, the cache one differing for assets.</summary>
    private async Task<string> CreateProjectAsync()
    {
        var id = Builders.NewProjectId("TP");
        var project = Builders.Project(id);
        project["templates"] = new Dictionary<string, object?>
        {
            ["working_file"] = "{drive_working}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/{filename}",
            ["render_output"] = "{drive_render}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/v{version}/",
            ["media_file"] = "{drive_media}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/v{version}/media/",
            ["cache_file"] = "{drive_cache}/{project}/{cache_dir}/{episode}/{shot_clean}/{task}/",
            ["asset_cache_file"] = "{drive_cache}/{project}/{cache_dir}/assets/{asset}/{task}/",
        };
        await (await _client.PostJson("/api/v1/projects", project)).Expect(HttpStatusCode.Created);
        return id;
    }

    private static string Working(string project, string episode, string sequence, string shot, string version) =>
        $"V:/{project}/all/scene/{episode}/{sequence}/{shot}/lighting/version/{Filename(episode, sequence, shot, version)}";

    private static string Filename(string episode, string sequence, string shot, string version) =>
        $"{episode}_{sequence}_{shot}_lighting_master_{version}.ma";

    [Fact]
    public async Task A_new_task_gets_every_path_from_the_templates_at_its_first_version()
    {
        var project = await CreateProjectAsync();

        var created = await _client.CreateTask(TaskBuilders.ShotTask(project, "Ep01", "sq0010", "SH0020"));

        Assert.Equal(Working(project, "Ep01", "sq0010", "sh0020", "v001"), created.Str("workingFilePath"));
        Assert.Equal($"W:/{project}/all/scene/Ep01/sq0010/sh0020/lighting/v001/", created.Str("renderOutputPath"));
        Assert.Equal($"E:/{project}/all/scene/Ep01/sq0010/sh0020/lighting/v001/media/", created.Str("mediaFilePath"));
        Assert.Equal($"E:/{project}/cache/Ep01/sh0020/lighting/", created.Str("cacheFilePath"));
        Assert.Equal(Filename("Ep01", "sq0010", "sh0020", "v001"), created.Str("filename"));
        var read = await _client.GetTask(created.Str("id"));
        Assert.Equal(created.Str("workingFilePath"), read.Str("workingFilePath"));
        Assert.Equal(created.Str("filename"), read.Str("filename"));
    }

    [Fact]
    public async Task An_asset_task_takes_the_asset_template_and_leaves_empty_what_no_template_can_fill()
    {
        var project = await CreateProjectAsync();

        var created = await _client.CreateTask(TaskBuilders.AssetTask(project, "hero_ship"));

        Assert.Equal($"E:/{project}/cache/assets/hero_ship/modeling/", created.Str("cacheFilePath"));
        // The shot templates need an episode, which an asset task has none of.
        Assert.Equal(JsonValueKind.Null, created.GetProperty("workingFilePath").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("renderOutputPath").ValueKind);
    }

    [Fact]
    public async Task The_paths_follow_the_shot_and_the_current_version_in_the_same_change()
    {
        var project = await CreateProjectAsync();
        var task = (await _client.CreateTask(TaskBuilders.ShotTask(project, "Ep01", "sq0010", "SH0020"))).Str("id");

        var moved = await (await _client.PatchJson($"/api/v1/tasks/{task}", new { shot = "SH0030", currentVersion = "v004" })).Expect(HttpStatusCode.OK);

        Assert.Equal(Working(project, "Ep01", "sq0010", "sh0030", "v004"), moved.Str("workingFilePath"));
        Assert.Equal($"W:/{project}/all/scene/Ep01/sq0010/sh0030/lighting/v004/", moved.Str("renderOutputPath"));
        Assert.Equal(Filename("Ep01", "sq0010", "sh0030", "v004"), moved.Str("filename"));

        var allocated = await (await _client.PostJson($"/api/v1/tasks/{task}/versions", new { })).Expect(HttpStatusCode.Created);
        var after = await _client.GetTask(task);
        Assert.Equal("v005", allocated.Str("version"));
        Assert.Equal(Working(project, "Ep01", "sq0010", "sh0030", "v005"), after.Str("workingFilePath"));
        Assert.Equal(allocated.Str("workingFilePath"), after.Str("workingFilePath"));
    }

    [Fact]
    public async Task A_path_a_client_sets_is_kept_until_it_sends_null_and_the_event_says_what_moved()
    {
        var project = await CreateProjectAsync();
        const string Custom = "//nas/outsourced/ship_lighting.ma";
        var task = (await _client.CreateTask(TaskBuilders.ShotTask(project, "Ep01", "sq0010", "SH0020"))).Str("id");
        await (await _client.PatchJson($"/api/v1/tasks/{task}", new { workingFilePath = Custom })).Expect(HttpStatusCode.OK);
        var head = await HeadAsync(project);

        var moved = await (await _client.PatchJson($"/api/v1/tasks/{task}", new { shot = "SH0030" })).Expect(HttpStatusCode.OK);

        Assert.Equal(Custom, moved.Str("workingFilePath"));
        Assert.Equal(Filename("Ep01", "sq0010", "sh0030", "v001"), moved.Str("filename"));
        var changes = (await ChangesAsync(project, head)).EnumerateArray().ToList();
        Assert.Equal(["shot_created", "task_updated"], changes.Select(c => c.Str("type")));
        var change = changes[1];
        var changed = change.GetProperty("data").GetProperty("changes");
        Assert.Equal(Filename("Ep01", "sq0010", "sh0030", "v001"), changed.Str("filename"));
        Assert.False(changed.TryGetProperty("workingFilePath", out _));

        var released = await (await _client.PatchJson($"/api/v1/tasks/{task}", new Dictionary<string, object?> { ["workingFilePath"] = null })).Expect(HttpStatusCode.OK);

        Assert.Equal(Working(project, "Ep01", "sq0010", "sh0030", "v001"), released.Str("workingFilePath"));
    }

    [Fact]
    public async Task Setting_the_value_the_templates_give_does_not_pin_it()
    {
        var project = await CreateProjectAsync();
        var task = (await _client.CreateTask(TaskBuilders.ShotTask(project, "Ep01", "sq0010", "SH0020"))).Str("id");
        await (await _client.PatchJson($"/api/v1/tasks/{task}", new { workingFilePath = Working(project, "Ep01", "sq0010", "sh0020", "v001") })).Expect(HttpStatusCode.OK);

        var moved = await (await _client.PatchJson($"/api/v1/tasks/{task}", new { shot = "SH0090" })).Expect(HttpStatusCode.OK);

        Assert.Equal(Working(project, "Ep01", "sq0010", "sh0090", "v001"), moved.Str("workingFilePath"));
    }

    [Fact]
    public async Task A_path_given_at_creation_is_pinned_from_the_start()
    {
        var project = await CreateProjectAsync();
        var body = TaskBuilders.ShotTask(project, "Ep01", "sq0010", "SH0020");
        body["renderOutputPath"] = "R:/farm/ship/";
        var task = (await _client.CreateTask(body)).Str("id");

        var moved = await (await _client.PatchJson($"/api/v1/tasks/{task}", new { currentVersion = "v002" })).Expect(HttpStatusCode.OK);

        Assert.Equal("R:/farm/ship/", moved.Str("renderOutputPath"));
        Assert.Equal($"E:/{project}/all/scene/Ep01/sq0010/sh0020/lighting/v002/media/", moved.Str("mediaFilePath"));
    }

    [Fact]
    public async Task A_template_change_lays_out_the_projects_tasks_again_but_not_their_pinned_paths()
    {
        var project = await CreateProjectAsync();
        var pinned = TaskBuilders.ShotTask(project, "Ep01", "sq0010", "SH0010");
        pinned["workingFilePath"] = "//nas/kept.ma";
        var tasks = await _client.CreateTasks([pinned, TaskBuilders.ShotTask(project, "Ep01", "sq0010", "SH0020")]);
        var head = await HeadAsync(project);

        await (await _client.PatchJson($"/api/v1/projects/{project}", new
        {
            templates = new { working_file = "{drive_working}/{project}/shots/{shot_clean}/{task}/{filename}" },
            pathSegments = new { cacheDir = "caches" },
        })).Expect(HttpStatusCode.OK);

        var laidOut = await Poll.Eventually(() => _client.GetTask(tasks[1]), t => t.Str("workingFilePath").Contains("/shots/", StringComparison.Ordinal));
        Assert.Equal($"V:/{project}/shots/sh0020/lighting/{Filename("Ep01", "sq0010", "sh0020", "v001")}", laidOut.Str("workingFilePath"));
        Assert.Equal($"E:/{project}/caches/Ep01/sh0020/lighting/", laidOut.Str("cacheFilePath"));
        var kept = await Poll.Eventually(() => _client.GetTask(tasks[0]), t => t.Str("cacheFilePath").Contains("/caches/", StringComparison.Ordinal));
        Assert.Equal("//nas/kept.ma", kept.Str("workingFilePath"));
        Assert.Equal($"E:/{project}/caches/Ep01/sh0010/lighting/", kept.Str("cacheFilePath"));

        var events = (await ChangesAsync(project, head)).EnumerateArray().ToList();
        var layout = Assert.Single(events, e => e.Str("type") == "tasks_bulk_updated");
        Assert.Equal("lay_out_paths", layout.GetProperty("data").Str("operation"));
        Assert.Equal(tasks.Order(StringComparer.Ordinal), layout.GetProperty("data").GetProperty("taskIds").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(laidOut.GetProperty("revision").GetInt32(), layout.GetProperty("data").GetProperty("revisions").GetProperty(tasks[1]).GetInt32());
    }

    [Fact]
    public async Task Only_a_change_that_can_move_a_path_queues_the_layout()
    {
        var project = await CreateProjectAsync();
        await _client.CreateTask(TaskBuilders.ShotTask(project, "Ep01", "sq0010", "SH0020"));

        await (await _client.PatchJson($"/api/v1/projects/{project}", new
        {
            description = "Renamed show",
            templates = new { working_file = "{drive_working}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/{filename}" },
        })).Expect(HttpStatusCode.OK);
        Assert.Equal(0, await LayoutJobsAsync(project));

        await (await _client.PatchJson($"/api/v1/projects/{project}", new { filenamePatterns = new { nuke_script = "{shot_clean}_{task}_v{version}.nk" } })).Expect(HttpStatusCode.OK);
        await (await _client.PatchJson($"/api/v1/projects/{project}", new { driveMapping = new { cacheFiles = "C:" } })).Expect(HttpStatusCode.OK);
        Assert.Equal(2, await LayoutJobsAsync(project));
    }

    [Fact]
    public async Task Bulk_updates_and_imports_lay_out_paths_as_a_patch_does()
    {
        var project = await CreateProjectAsync();
        var task = (await _client.CreateTask(TaskBuilders.ShotTask(project, "Ep01", "sq0010", "SH0020"))).Str("id");

        await (await _client.PatchJson("/api/v1/tasks/bulk-update", new object[] { new { taskId = task, updates = new { currentVersion = "v007" } } })).Expect(HttpStatusCode.OK);
        var report = await (await _client.Import(project, $"""
            id,episode,sequence,shot,task,type
            {project}_one,Ep02,sq0040,SH0050,lighting,shot
            """)).Expect(HttpStatusCode.OK);

        Assert.Equal(Working(project, "Ep01", "sq0010", "sh0020", "v007"), (await _client.GetTask(task)).Str("workingFilePath"));
        Assert.Equal(1, report.GetProperty("createdTasks").GetInt32());
        Assert.Equal(Working(project, "Ep02", "sq0040", "sh0050", "v001"), (await _client.GetTask($"{project}_one")).Str("workingFilePath"));
    }

    private async Task<int> LayoutJobsAsync(string project)
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs WHERE kind = 'task_paths' AND project_id = @project", new { project });
    }

    private async Task<long> HeadAsync(string project) =>
        (await (await _client.GetAsync($"/api/v1/changes?project_id={project}&since=0")).Expect(HttpStatusCode.OK)).GetProperty("nextSince").GetInt64();

    private async Task<JsonElement> ChangesAsync(string project, long since) =>
        (await (await _client.GetAsync($"/api/v1/changes?project_id={project}&since={since}")).Expect(HttpStatusCode.OK)).GetProperty("items");
}
