using System.Net;
using System.Text.Json;
using Montu.Server.Features.Demo;

namespace Montu.Server.Tests.Features.Paths;

public sealed class PathGenerateTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private const string V20Path = "V:/SWA/all/scene/ep01/sq010/sh020/lighting/version/ep01_sq010_sh020_lighting_master_v003.ma";

    private static readonly Dictionary<string, string?> V20Values = new()
    {
        ["episode"] = "ep01",
        ["sequence"] = "sq010",
        ["shot"] = "sh020",
        ["task"] = "lighting",
        ["version"] = "v003",
        ["artist"] = "john_doe",
    };

    /// <summary>The demo's SWA project (the v2.0 example with rootMappings), created once per test database.</summary>
    private async Task SwaAsync()
    {
        var response = await _client.PostJson("/api/v1/projects", DemoProjects.SkyWars);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
    }

    /// <summary>A project whose id is SWA's spelling for the v2.0 example would collide across tests; the id only changes the {project} folder.</summary>
    private async Task<string> SkyWarsAsync()
    {
        var id = Builders.NewProjectId("SW");
        await (await _client.PostJson("/api/v1/projects", Builders.Project(id))).Expect(HttpStatusCode.Created);
        return id;
    }

    [Fact]
    public async Task The_v20_example_gives_exactly_its_path_and_components_in_the_v20_shape()
    {
        var project = await SkyWarsAsync();
        var body = new Dictionary<string, object?>
        {
            ["project_id"] = project,
            ["template_type"] = "working_file",
            ["task_data"] = V20Values,
            ["filename_pattern"] = "maya_scene",
        };

        var response = await _client.SendWith(HttpMethod.Post, "/api/v1/paths/generate", body, ("Montu-Version", "2.0"));
        var path = await response.Expect(HttpStatusCode.OK);

        Assert.Equal(V20Path.Replace("/SWA/", $"/{project}/"), path.Str("generated_path"));
        Assert.Equal("working_file", path.Str("template_used"));
        Assert.Equal("maya_scene", path.Str("pattern_used"));
        Assert.Equal(
            [("drive", "V:"), ("project", project), ("episode", "ep01"), ("sequence_clean", "sq010"), ("shot_clean", "sh020"), ("task", "lighting"), ("version", "v003"), ("filename", "ep01_sq010_sh020_lighting_master_v003.ma")],
            path.GetProperty("components").EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)));
    }

    [Fact]
    public async Task The_demo_project_SWA_gives_the_v20_path_exactly_and_camelCase_components()
    {
        await SwaAsync();
        var path = await (await _client.PostJson("/api/v1/paths/generate", new
        {
            projectId = "SWA",
            templateType = "working_file",
            taskData = V20Values,
            filenamePattern = "maya_scene",
        })).Expect(HttpStatusCode.OK);

        Assert.Equal(V20Path, path.Str("generatedPath"));
        Assert.Equal(["drive", "project", "episode", "sequenceClean", "shotClean", "task", "version", "filename"],
            path.GetProperty("components").EnumerateObject().Select(p => p.Name));
        Assert.Equal("v003", path.GetProperty("components").Str("version"));
    }

    [Fact]
    public async Task Versions_given_as_3_003_or_v3_render_alike_and_os_translates_the_drive()
    {
        await SwaAsync();
        foreach (var version in new[] { "3", "003", "v3", "V003" })
        {
            var path = await Generate("SWA", "working_file", V20Values.With("version", version), "maya_scene");
            Assert.Equal(V20Path, path.Str("generatedPath"));
        }

        var linux = await Generate("SWA", "working_file", V20Values, "maya_scene", os: "linux");
        Assert.Equal("/mnt/vfx/working/SWA/all/scene/ep01/sq010/sh020/lighting/version/ep01_sq010_sh020_lighting_master_v003.ma", linux.Str("generatedPath"));
        Assert.Equal("/mnt/vfx/working", linux.GetProperty("components").Str("drive"));
        var windows = await Generate("SWA", "working_file", V20Values, "maya_scene", os: "windows");
        Assert.Equal(V20Path, windows.Str("generatedPath"));
    }

    [Fact]
    public async Task A_task_gives_its_values_and_taskData_overrides_them()
    {
        var project = await SkyWarsAsync();
        var task = await _client.CreateTask(TaskBuilders.ShotTask(project, "Ep 07", "SQ 010", "SH0040", "comp"));
        await (await _client.PatchJson($"/api/v1/tasks/{task.Str("id")}", new { currentVersion = "v012" })).Expect(HttpStatusCode.OK);

        var fromTask = await (await _client.PostJson("/api/v1/paths/generate", new { projectId = project, templateType = "working_file", taskId = task.Str("id"), filenamePattern = "maya_scene" })).Expect(HttpStatusCode.OK);
        Assert.Equal($"V:/{project}/all/scene/Ep 07/sq_010/sh0040/comp/version/Ep 07_sq_010_sh0040_comp_master_v012.ma", fromTask.Str("generatedPath"));

        var overridden = await (await _client.PostJson("/api/v1/paths/generate", new
        {
            projectId = project,
            templateType = "working_file",
            taskId = task.Str("id"),
            taskData = new { version = "13" },
            filenamePattern = "maya_scene",
        })).Expect(HttpStatusCode.OK);
        Assert.EndsWith("_comp_master_v013.ma", overridden.Str("generatedPath"));
    }

    [Fact]
    public async Task Bad_requests_are_400s_naming_the_field()
    {
        await SwaAsync();
        await ExpectField(new { projectId = "SWA", templateType = "nope", taskData = V20Values, filenamePattern = "maya_scene" }, "templateType", "working_file");
        await ExpectField(new { projectId = "SWA", templateType = "working_file", taskData = V20Values, filenamePattern = "houdini" }, "filenamePattern", "maya_scene");
        await ExpectField(new { projectId = "SWA", templateType = "working_file", taskData = V20Values }, "filenamePattern", "{filename}");
        await ExpectField(new { projectId = "SWA", templateType = "working_file", taskData = V20Values.With("shot", null), filenamePattern = "maya_scene" }, "taskData.shot", "{shot_clean}");
        await ExpectField(new { projectId = "SWA", templateType = "working_file", taskData = V20Values.With("episode", ".."), filenamePattern = "maya_scene" }, "taskData.episode", "'..'");
        await ExpectField(new { projectId = "SWA", templateType = "working_file", taskData = V20Values.With("task", "/etc/passwd"), filenamePattern = "maya_scene" }, "taskData.task", "'/'");
        await ExpectField(new { projectId = "SWA", templateType = "working_file", taskData = V20Values.With("shot", "C:\\x"), filenamePattern = "maya_scene" }, "taskData.shot", "'/'");
        await ExpectField(new { projectId = "SWA", templateType = "working_file", taskData = V20Values.With("version", "latest"), filenamePattern = "maya_scene" }, "taskData.version", "v003");
        await ExpectField(new { projectId = "SWA", templateType = "working_file", taskData = V20Values.With("department", "x"), filenamePattern = "maya_scene" }, "taskData.department", "episode");
        await ExpectField(new { projectId = "SWA", templateType = "working_file", taskData = V20Values, filenamePattern = "maya_scene", os = "amiga" }, "os", "linux");
        await ExpectField(new { projectId = "SWA", templateType = "working_file", filenamePattern = "maya_scene" }, "taskData", "taskId");
        await ExpectField(new { projectId = "SWA", taskData = V20Values }, "templateType", "required");
    }

    [Fact]
    public async Task A_missing_project_or_task_is_404_and_outsiders_cannot_tell_a_project_exists()
    {
        await SwaAsync();
        await (await _client.PostJson("/api/v1/paths/generate", new { projectId = "NOPE", templateType = "working_file", taskData = V20Values })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var other = await SkyWarsAsync();
        var task = await _client.CreateTask(TaskBuilders.ShotTask(other));
        var error = await (await _client.PostJson("/api/v1/paths/generate", new { projectId = "SWA", templateType = "working_file", taskId = task.Str("id"), filenamePattern = "maya_scene" }))
            .ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("not found in project 'SWA'", error.Str("message"));

        var outsider = await app.CreateUser();
        await (await outsider.Client.PostJson("/api/v1/paths/generate", new { projectId = other, templateType = "working_file", taskData = V20Values, filenamePattern = "maya_scene" }))
            .ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var viewer = await app.CreateUser(other, "viewer");
        var seen = await (await viewer.Client.PostJson("/api/v1/paths/generate", new { projectId = other, templateType = "working_file", taskData = V20Values, filenamePattern = "maya_scene" }))
            .Expect(HttpStatusCode.OK);
        Assert.StartsWith($"V:/{other}/", seen.Str("generatedPath"));
    }

    private async Task<JsonElement> Generate(string project, string template, Dictionary<string, string?> values, string? pattern, string? os = null) =>
        await (await _client.PostJson("/api/v1/paths/generate", new { projectId = project, templateType = template, taskData = values, filenamePattern = pattern, os })).Expect(HttpStatusCode.OK);

    private async Task ExpectField(object body, string field, string messagePart)
    {
        var error = await (await _client.PostJson("/api/v1/paths/generate", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var detail = error.GetProperty("details").EnumerateArray().FirstOrDefault(d => d.Str("field") == field);
        Assert.True(detail.ValueKind == JsonValueKind.Object, $"No error for {field}: {error}");
        Assert.Contains(messagePart, detail.Str("message"), StringComparison.OrdinalIgnoreCase);
    }
}

internal static class PathValueExtensions
{
    public static Dictionary<string, string?> With(this Dictionary<string, string?> values, string key, string? value) => new(values) { [key] = value };
}
