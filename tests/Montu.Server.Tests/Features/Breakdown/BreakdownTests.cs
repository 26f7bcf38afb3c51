using System.Net;
using System.Text.Json;
using Montu.Server.Tests.Features.TaskImport;

namespace Montu.Server.Tests.Features.Breakdown;

/// <summary>Episodes, sequences, shots and assets: made by every task writer, ordered, cast and archived through HTTP.</summary>
public sealed class BreakdownTests(TestApp app) : IClassFixture<TestApp>
{
    private static readonly string[] TaskTypes = ["modeling", "rigging", "animation", "layout", "lighting", "comp", "fx", "lookdev"];

    private readonly HttpClient _client = app.Client;

    private async Task<JsonElement> Get(string url) => await (await _client.GetAsync(url)).Expect(HttpStatusCode.OK);

    private async Task<List<string>> ShotIds(string projectId) => (await Get($"/api/v1/shots?project_id={projectId}")).Ids();

    [Fact]
    public async Task Creating_a_shot_task_creates_its_episode_sequence_and_shot_once_with_events_and_counts()
    {
        var project = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.ShotTask(project, "EP01", "SQ010", "SH020", "lighting"));
        await _client.CreateTask(TaskBuilders.ShotTask(project, "EP01", "SQ010", "SH020", "comp"));
        await _client.CreateTask(TaskBuilders.AssetTask(project, "Hero Ship"));

        var shot = await Get("/api/v1/shots/ep01_sq010_sh020");
        Assert.Equal(project, shot.Str("projectId"));
        Assert.Equal(("EP01", "SQ010", "SH020"), (shot.Str("episode"), shot.Str("sequence"), shot.Str("shot")));
        Assert.Equal(2, shot.GetProperty("taskCount").GetInt32());
        Assert.Equal(1, shot.GetProperty("cutOrder").GetInt32());
        Assert.Equal("active", shot.Str("status"));
        Assert.Equal(1, (await Get($"/api/v1/sequences/ep01_sq010")).GetProperty("shotCount").GetInt32());
        Assert.Equal(1, (await Get($"/api/v1/episodes/ep01")).GetProperty("sequenceCount").GetInt32());
        var asset = await Get("/api/v1/assets/hero_ship");
        Assert.Equal(("Hero Ship", "other", 1), (asset.Str("name"), asset.Str("assetType"), asset.GetProperty("taskCount").GetInt32()));
        Assert.Equal(["ep01_sq010_sh020"], await ShotIds(project));
        Assert.Single(await app.Events(project, "shot_created"));
        Assert.Single(await app.Events(project, "episode_created"));
        Assert.Single(await app.Events(project, "asset_created"));
        var tasks = await Get("/api/v1/shots/ep01_sq010_sh020/tasks");
        Assert.Equal(["ep01_sq010_sh020_comp", "ep01_sq010_sh020_lighting"], tasks.Ids());
    }

    [Fact]
    public async Task A_derived_id_another_project_has_gets_the_project_code_in_front()
    {
        var first = await _client.CreateProject();
        var second = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.ShotTask(first, "cx1", "sq1", "sh1"));
        await _client.CreateTask(TaskBuilders.ShotTask(second, "cx1", "sq1", "sh1"));

        Assert.Equal(["cx1_sq1_sh1"], await ShotIds(first));
        Assert.Equal([$"{second.ToLowerInvariant()}_cx1_sq1_sh1"], await ShotIds(second));
        Assert.Equal(second, (await Get($"/api/v1/episodes/{second.ToLowerInvariant()}_cx1")).Str("projectId"));
    }

    [Fact]
    public async Task Moving_tasks_by_patch_bulk_and_import_creates_the_shots_they_name()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.ShotTask(project, "mv", "sq", "a"))).Str("id");
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { shot = "b" })).Expect(HttpStatusCode.OK);
        await (await _client.PatchJson("/api/v1/tasks/bulk-update", new[] { new { taskId = id, updates = new { shot = "c" } } })).Expect(HttpStatusCode.OK);
        await (await _client.PostJson("/api/v1/tasks/bulk", new { taskIds = new[] { id }, operation = "update", data = new { shot = "d" } })).Expect(HttpStatusCode.OK);
        await (await _client.Import(project, "episode,sequence,shot,task\nmv,sq,e,comp\nmv,sq,f,comp\n")).Expect(HttpStatusCode.OK);

        Assert.Equal(["mv_sq_a", "mv_sq_b", "mv_sq_c", "mv_sq_d", "mv_sq_e", "mv_sq_f"], await ShotIds(project));
        var shots = (await Get($"/api/v1/shots?project_id={project}")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], shots.Select(s => s.GetProperty("cutOrder").GetInt32()));
        Assert.Equal([0, 0, 0, 1, 1, 1], shots.Select(s => s.GetProperty("taskCount").GetInt32()));
    }

    [Fact]
    public async Task Concurrent_tasks_of_one_shot_make_one_shot()
    {
        var project = await _client.CreateProject();
        await Task.WhenAll(TaskTypes.Select(type => _client.CreateTask(TaskBuilders.ShotTask(project, "cc", "sq", "sh", type))));

        Assert.Equal(["cc_sq_sh"], await ShotIds(project));
        Assert.Equal(8, (await Get("/api/v1/shots/cc_sq_sh")).GetProperty("taskCount").GetInt32());
        Assert.Single(await app.Events(project, "shot_created"));
    }

    [Fact]
    public async Task Order_sets_cut_order_and_refuses_missing_extra_and_foreign_shots()
    {
        var project = await _client.CreateProject();
        foreach (var shot in new[] { "o1", "o2", "o3" })
        {
            await _client.CreateTask(TaskBuilders.ShotTask(project, "or", "sq", shot));
        }

        await (await _client.PutJson("/api/v1/sequences/or_sq/order", new { shotIds = (string[])["or_sq_o3", "or_sq_o1", "or_sq_o2"] })).Expect(HttpStatusCode.OK);
        Assert.Equal(["or_sq_o3", "or_sq_o1", "or_sq_o2"], await ShotIds(project));

        var error = await (await _client.PutJson("/api/v1/sequences/or_sq/order", new { shotIds = (string[])["or_sq_o3", "or_sq_o1", "nope"] })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var messages = string.Join(" | ", error.GetProperty("details").EnumerateArray().Select(d => d.Str("message")));
        Assert.Contains("or_sq_o2", messages);
        Assert.Contains("nope", messages);
        Assert.Equal(["or_sq_o3", "or_sq_o1", "or_sq_o2"], await ShotIds(project));
    }

    [Fact]
    public async Task Casting_goes_both_ways_and_refuses_assets_of_another_project()
    {
        var project = await _client.CreateProject();
        var other = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.ShotTask(project, "ca", "sq", "sh"));
        await (await _client.PostJson("/api/v1/assets", new { projectId = project, name = "Robot", assetType = "character" })).Expect(HttpStatusCode.Created);
        await (await _client.PostJson("/api/v1/assets", new { projectId = other, name = "Alien", assetType = "character" })).Expect(HttpStatusCode.Created);

        var shot = await (await _client.PutJson("/api/v1/shots/ca_sq_sh/casting", new { assetIds = (string[])["robot", "robot"] })).Expect(HttpStatusCode.OK);
        Assert.Equal(["robot"], shot.GetProperty("casting").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["ca_sq_sh"], (await Get("/api/v1/assets/robot/casting")).Ids());

        var foreign = await (await _client.PutJson("/api/v1/shots/ca_sq_sh/casting", new { assetIds = (string[])["robot", "alien"] })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("alien", foreign.GetProperty("details")[0].Str("message"));
        await (await _client.PutJson("/api/v1/shots/ca_sq_sh/casting", new { assetIds = (string[])["ghost"] })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["robot"], (await Get("/api/v1/shots/ca_sq_sh")).GetProperty("casting").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Archiving_a_shot_with_open_tasks_needs_force_and_hides_it_from_lists()
    {
        var project = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.ShotTask(project, "ar", "sq", "sh"));

        var refused = await (await _client.DeleteAsync("/api/v1/shots/ar_sq_sh")).ExpectError((HttpStatusCode)422, "BUSINESS_RULE_VIOLATION");
        Assert.Contains("force=true", refused.Str("message"));
        var archived = await (await _client.DeleteAsync("/api/v1/shots/ar_sq_sh?force=true")).Expect(HttpStatusCode.OK);
        Assert.Equal("archived", archived.Str("status"));
        Assert.Empty(await ShotIds(project));
        Assert.Equal(["ar_sq_sh"], (await Get($"/api/v1/shots?project_id={project}&include_archived=true")).Ids());
        Assert.Single(await app.Events(project, "shot_archived"));
    }

    [Fact]
    public async Task A_stale_if_match_is_412_and_names_are_read_only()
    {
        var project = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.ShotTask(project, "et", "sq", "sh"));
        var current = await _client.GetAsync("/api/v1/shots/et_sq_sh");
        Assert.Equal("\"1\"", current.ETag());

        var updated = await (await _client.SendWith(HttpMethod.Patch, "/api/v1/shots/et_sq_sh", new { frameIn = 1001, frameOut = 1100, handles = 8, fps = 23.976 },
            ("If-Match", "\"1\""))).Expect(HttpStatusCode.OK);
        Assert.Equal((1001, 1100, 2), (updated.GetProperty("frameIn").GetInt32(), updated.GetProperty("frameOut").GetInt32(), updated.GetProperty("revision").GetInt32()));
        Assert.Equal(23.976m, updated.GetProperty("fps").GetDecimal());
        await (await _client.SendWith(HttpMethod.Patch, "/api/v1/shots/et_sq_sh", new { description = "late" }, ("If-Match", "\"1\""))).ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        await (await _client.PatchJson("/api/v1/shots/et_sq_sh", new { shot = "other" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await (await _client.PatchJson("/api/v1/shots/et_sq_sh", new { frameIn = 2000 })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await (await _client.PatchJson("/api/v1/shots/et_sq_sh", new { fps = 0 })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await (await _client.PostJson("/api/v1/shots", new { projectId = project, episode = "et", sequence = "sq", shot = "sh" })).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal(2, (await Get("/api/v1/shots/et_sq_sh")).GetProperty("revision").GetInt32());
    }
}
