using System.Net;

namespace Montu.Server.Tests.Features.Paths;

public sealed class PathBatchTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Named_tasks_each_get_their_path_or_their_error_in_id_order()
    {
        var project = await _client.CreateProject();
        var a = await _client.CreateTask(TaskBuilders.ShotTask(project, "ep01", "sq010", "sh010", "comp"));
        var b = await _client.CreateTask(TaskBuilders.ShotTask(project, "ep01", "sq010", "sh020", "comp"));
        await _client.PatchJson($"/api/v1/tasks/{a.Str("id")}", new { currentVersion = "v002" });
        await _client.PatchJson($"/api/v1/tasks/{b.Str("id")}", new { currentVersion = "v005" });
        var other = await _client.CreateTask(TaskBuilders.ShotTask(await _client.CreateProject(), "ep01", "sq010", "sh030", "comp"));

        var batch = await (await _client.PostJson("/api/v1/paths/batch", new
        {
            projectId = project,
            templateType = "working_file",
            filenamePattern = "maya_scene",
            taskIds = new[] { b.Str("id"), a.Str("id"), other.Str("id"), "no_such_task" },
        })).Expect(HttpStatusCode.OK);

        Assert.Equal(4, batch.GetProperty("count").GetInt32());
        Assert.Equal(2, batch.GetProperty("failed").GetInt32());
        var results = batch.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(new[] { a.Str("id"), b.Str("id"), "no_such_task", other.Str("id") }.Order(StringComparer.Ordinal), results.Select(r => r.Str("taskId")));
        var first = results.Single(r => r.Str("taskId") == a.Str("id"));
        Assert.Equal($"V:/{project}/all/scene/ep01/sq010/sh010/comp/version/ep01_sq010_sh010_comp_master_v002.ma", first.Str("generatedPath"));
        Assert.Equal("v002", first.GetProperty("components").Str("version"));
        var foreign = results.Single(r => r.Str("taskId") == other.Str("id"));
        Assert.Equal("NOT_FOUND", foreign.GetProperty("error").Str("code"));
        Assert.False(foreign.TryGetProperty("generatedPath", out _));
    }

    [Fact]
    public async Task Filters_pick_the_tasks_and_a_task_lacking_a_value_reports_which()
    {
        var project = await _client.CreateProject();
        var versioned = await _client.CreateTask(TaskBuilders.ShotTask(project, "ep02", "sq020", "sh010", "lighting"));
        await _client.PatchJson($"/api/v1/tasks/{versioned.Str("id")}", new { currentVersion = "v001" });
        await _client.CreateTask(TaskBuilders.ShotTask(project, "ep02", "sq020", "sh020", "lighting"));
        await _client.CreateTask(TaskBuilders.ShotTask(project, "ep02", "sq020", "sh020", "comp"));

        var batch = await (await _client.PostJson("/api/v1/paths/batch", new
        {
            project_id = project,
            template_type = "working_file",
            filename_pattern = "maya_scene",
            filters = new { task_type = "lighting" },
            os = "linux",
        })).Expect(HttpStatusCode.OK);

        var results = batch.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.EndsWith("ep02_sq020_sh010_lighting_master_v001.ma", results[0].Str("generatedPath"));
        var lacking = results[1].GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", lacking.Str("code"));
        Assert.Equal("task.version", lacking.GetProperty("details")[0].Str("field"));
    }

    [Fact]
    public async Task Both_or_neither_of_taskIds_and_filters_is_400()
    {
        var project = await _client.CreateProject();
        foreach (var body in new object[]
        {
            new { projectId = project, templateType = "working_file", filenamePattern = "maya_scene" },
            new { projectId = project, templateType = "working_file", filenamePattern = "maya_scene", taskIds = new[] { "x" }, filters = new { episode = "ep01" } },
        })
        {
            var error = await (await _client.PostJson("/api/v1/paths/batch", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
            Assert.Contains("taskIds", error.Fields());
        }
    }
}
