using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Montu.Server.Tests.Features.Demo;

public sealed class DemoApp : IAsyncLifetime
{
    public TestApp App { get; } = new() { Settings = { ["MONTU_DEMO"] = "1" } };

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}

public sealed class DemoSeedTests(DemoApp demo) : IClassFixture<DemoApp>
{
    private readonly TestApp _app = demo.App;

    [Fact]
    public async Task Demo_project_SWA_is_the_v2_specification_example()
    {
        var swa = await (await _app.Client.GetAsync("/api/v1/projects/SWA")).Expect(HttpStatusCode.OK);

        Assert.Equal("Sky Wars Anthology", swa.Str("name"));
        Assert.Equal("VFX project for Sky Wars Anthology series", swa.Str("description"));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["working_file"] = "{drive_working}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/{filename}",
                ["render_output"] = "{drive_render}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/v{version}/",
                ["media_file"] = "{drive_media}/{project}/{middle_path}/{episode}/{sequence_clean}/{shot_clean}/{task}/{version_dir}/v{version}/media/",
            },
            Map(swa.GetProperty("templates")));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["maya_scene"] = "{episode}_{sequence_clean}_{shot_clean}_{task}_master_v{version}.ma",
                ["nuke_script"] = "{episode}_{sequence_clean}_{shot_clean}_{task}_master_v{version}.nk",
                ["render_sequence"] = "{episode}_{sequence_clean}_{shot_clean}_{task}_v{version}.{frame}.{ext}",
            },
            Map(swa.GetProperty("filenamePatterns")));
        Assert.Equal(
            new Dictionary<string, string> { ["workingFiles"] = "V:", ["renderOutputs"] = "W:", ["mediaFiles"] = "E:", ["cacheFiles"] = "E:", ["backupFiles"] = "E:" },
            Map(swa.GetProperty("driveMapping")));
        Assert.Equal(
            new Dictionary<string, string> { ["middlePath"] = "all/scene", ["versionDir"] = "version", ["workDir"] = "work", ["publishDir"] = "publish", ["cacheDir"] = "cache" },
            Map(swa.GetProperty("pathSegments")));
        Assert.Equal(["modeling", "rigging", "animation", "layout", "lighting", "comp", "fx", "lookdev"], List(swa.GetProperty("taskTypes")));
        Assert.Equal(["not_started", "single_frame", "low_quality", "final_render", "final_comp", "approved"], List(swa.GetProperty("milestones")));
        Assert.Equal(["low", "medium", "high", "urgent"], List(swa.GetProperty("priorityLevels")));
    }

    [Fact]
    public async Task Demo_also_seeds_an_asset_based_second_project()
    {
        var dmo = await (await _app.Client.GetAsync("/api/v1/projects/DMO")).Expect(HttpStatusCode.OK);

        Assert.Equal("Demo Animated Short", dmo.Str("name"));
        Assert.Contains("{asset}", dmo.GetProperty("templates").Str("asset_work_file"));
    }

    [Fact]
    public async Task Demo_comp_waits_on_lighting_in_two_shots_and_the_producer_shares_a_view_of_blocked_tasks()
    {
        var links = await (await _app.Client.GetAsync("/api/v1/tasks/ep01_sq0010_sh0020_comp/dependencies")).Expect(HttpStatusCode.OK);
        Assert.Equal(["ep01_sq0010_sh0020_lighting"], links.GetProperty("dependsOn").EnumerateArray().Select(t => t.Str("id")));
        var view = Assert.Single((await (await _app.Client.GetAsync("/api/v1/views?project_id=SWA")).Expect(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(("Blocked shots", true), (view.Str("name"), view.GetProperty("shared").GetBoolean()));
        var blocked = await _app.Client.ListIds("project_id=SWA&blocked=true");
        Assert.Equal(blocked.Order(StringComparer.Ordinal), (await _app.Client.ListIds($"view={view.Str("id")}")).Order(StringComparer.Ordinal));
        Assert.NotEmpty(blocked);
        Assert.All(blocked, id => Assert.EndsWith("_comp", id));
    }

    [Fact]
    public async Task Demo_seeds_65_SWA_shot_tasks_that_the_task_api_lists_and_searches()
    {
        var all = await _app.Client.ListTasks("project_id=SWA&page_size=100");
        var task = await _app.Client.GetTask("ep00_sq0010_sh0020_lighting");

        Assert.Equal(65, all.GetProperty("total").GetInt64());
        Assert.All(all.GetProperty("items").EnumerateArray(), t => Assert.Equal("shot", t.Str("type")));
        Assert.Equal("Ep00", task.Str("episode"));
        Assert.Equal("sh0020", task.Str("shotClean"));
        Assert.Equal(1001, task.GetProperty("frameRange").GetProperty("start").GetInt32());
        Assert.InRange(task.GetProperty("frameRange").GetProperty("end").GetInt32(), 1100, 1199);
        Assert.Contains("ep00_sq0010_sh0020_lighting",
            (await _app.Client.ListTasks("project_id=SWA&search=SH0020&episode=Ep00")).GetProperty("items").EnumerateArray().Select(t => t.Str("id")));
    }

    [Fact]
    public async Task Each_demo_creation_writes_its_event()
    {
        await using var connection = await _app.Db.OpenAsync(CancellationToken.None);

        var types = (await connection.QueryAsync<string>("SELECT type FROM events ORDER BY seq")).ToList();

        string[] breakdown = ["episode_created", "sequence_created", "shot_created", "asset_created"];
        Assert.Equal(["project_created", "project_created", "demo_seeded"], types.Where(t => !breakdown.Contains(t)).Take(3));
        Assert.Equal((3, 6, 13, 5), (types.Count(t => t == "episode_created"), types.Count(t => t == "sequence_created"),
            types.Count(t => t == "shot_created"), types.Count(t => t == "asset_created")));
        var payload = await connection.ExecuteScalarAsync<string>($"SELECT {(TestApp.OnPostgres ? "payload::text" : "payload")} FROM events WHERE type = 'demo_seeded'");
        Assert.Equal(65, JsonDocument.Parse(payload!).RootElement.GetProperty("taskIds").GetArrayLength());
    }

    [Fact]
    public async Task The_demo_show_has_shots_in_cut_order_with_frame_ranges_and_cast_assets()
    {
        var shots = (await (await _app.Client.GetAsync("/api/v1/shots?project_id=SWA&page_size=100")).Expect(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(13, shots.Count);
        var first = shots[0];
        Assert.Equal(("ep00_sq0010_sh0010", 1, 1001, 8, 5), (first.Str("id"), first.GetProperty("cutOrder").GetInt32(), first.GetProperty("frameIn").GetInt32(),
            first.GetProperty("handles").GetInt32(), first.GetProperty("taskCount").GetInt32()));
        Assert.Equal(["captain_vega", "orbital_dock"], first.GetProperty("casting").EnumerateArray().Select(a => a.GetString()).Order());
        var vega = await (await _app.Client.GetAsync("/api/v1/assets/captain_vega/casting")).Expect(HttpStatusCode.OK);
        Assert.Equal(4, vega.GetProperty("total").GetInt32());
        var assets = await (await _app.Client.GetAsync("/api/v1/assets?project_id=SWA&asset_type=character")).Expect(HttpStatusCode.OK);
        Assert.Equal(["captain_vega", "rook"], assets.Ids());
    }

    [Fact]
    public async Task The_demo_show_has_media_versions_made_with_ffmpeg_reviewed_and_processed()
    {
        var list = await (await _app.Client.GetAsync("/api/v1/media?project_id=SWA&page_size=100&sort=created_at")).Expect(HttpStatusCode.OK);
        var items = list.GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(7, list.GetProperty("total").GetInt32());
        Assert.Equal(
            new Dictionary<string, int> { ["approved"] = 2, ["needs_revision"] = 2, ["pending"] = 2, ["rejected"] = 1 },
            items.GroupBy(m => m.Str("approvalStatus")).ToDictionary(g => g.Key, g => g.Count()));
        Assert.Equal(["image", "video"], items.Select(m => m.Str("mediaType")).Distinct().Order());
        var final = items.Single(m => m.Str("linkedTaskId") == "ep00_sq0010_sh0010_comp" && m.Str("linkedVersion") == "v002");
        var processed = await _app.Client.UntilProcessedAsync(final.Str("id"));
        Assert.Equal(("ready", "24000/1001", 96L), (processed.GetProperty("processing").Str("status"),
            processed.GetProperty("metadata").Str("frameRateExact"), processed.GetProperty("metadata").GetProperty("frameCount").GetInt64()));
        Assert.Equal("approved", (await _app.Client.GetTask("ep00_sq0010_sh0010_comp")).Str("status"));
    }

    [Fact]
    public async Task A_second_start_on_the_same_database_seeds_nothing()
    {
        await using (var second = _app.WithWebHostBuilder(_ => { }))
        {
            await (await second.CreateClient().GetAsync("/health")).Expect(HttpStatusCode.OK);
        }

        await using var connection = await _app.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(65, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tasks WHERE project_id = 'SWA'"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM projects"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE type = 'demo_seeded'"));
        Assert.Equal(7, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM media WHERE project_id = 'SWA'"));
    }

    private static Dictionary<string, string> Map(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    private static List<string> List(JsonElement element) => element.EnumerateArray().Select(e => e.GetString()!).ToList();
}

/// <summary>A demo started where ffmpeg cannot run has its show and users, no media, and says why in its log.</summary>
public sealed class DemoWithoutFfmpegTests(DemoWithoutFfmpegTests.NoFfmpegDemoApp demo) : IClassFixture<DemoWithoutFfmpegTests.NoFfmpegDemoApp>
{
    private readonly TestApp _app = demo.App;

    public sealed class NoFfmpegDemoApp : IAsyncLifetime
    {
        public TestApp App { get; } = new() { Settings = { ["MONTU_DEMO"] = "1", ["FFMPEG_PATH"] = "/nonexistent/ffmpeg" } };

        public Task InitializeAsync() => App.InitializeAsync();

        public Task DisposeAsync() => App.DisposeAsync();
    }

    [Fact]
    public async Task The_show_has_no_media_and_the_log_says_ffmpeg_is_missing()
    {
        var list = await (await _app.Client.GetAsync("/api/v1/media?project_id=SWA")).Expect(HttpStatusCode.OK);

        Assert.Equal(0, list.GetProperty("total").GetInt32());
        Assert.Equal(65, (await _app.Client.ListTasks("project_id=SWA&page_size=1")).GetProperty("total").GetInt32());
        Assert.Contains(_app.Logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("no demo media", StringComparison.Ordinal)
            && l.Text.Contains("FFMPEG_PATH", StringComparison.Ordinal));
    }
}
