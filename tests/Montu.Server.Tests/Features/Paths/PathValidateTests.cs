using System.Net;
using System.Text.Json;
using Montu.Server.Features.Demo;
using Montu.Server.Features.Projects;

namespace Montu.Server.Tests.Features.Paths;

public sealed class PathValidateTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private static readonly Dictionary<string, string?> Values = new()
    {
        ["episode"] = "Ep01",
        ["sequence"] = "SQ 010",
        ["shot"] = "sh020",
        ["asset"] = "hero_ship",
        ["task"] = "lighting",
        ["artist"] = "john_doe",
        ["version"] = "7",
        ["frame"] = "1001",
        ["ext"] = "exr",
    };

    private async Task CreateAsync(CreateProjectRequest project)
    {
        var response = await _client.PostJson("/api/v1/projects", project);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
    }

    public static TheoryData<string> DemoProjectIds => new() { "SWA", "DMO" };

    [Theory]
    [MemberData(nameof(DemoProjectIds))]
    public async Task Every_generated_path_of_a_demo_project_validates_back_to_its_template_pattern_and_components(string projectId)
    {
        var project = projectId == "SWA" ? DemoProjects.SkyWars : DemoProjects.AnimatedShort;
        await CreateAsync(project);
        var checkedPaths = 0;
        foreach (var (template, text) in project.Templates!)
        {
            var patterns = text.Contains("{filename}") ? project.FilenamePatterns!.Keys.Select(p => (string?)p) : [null];
            foreach (var pattern in patterns)
            {
                foreach (var os in new[] { null, "linux", "macos" })
                {
                    var generated = await (await _client.PostJson("/api/v1/paths/generate", new { projectId, templateType = template, taskData = Values, filenamePattern = pattern, os }))
                        .Expect(HttpStatusCode.OK);
                    var path = generated.Str("generatedPath");

                    var reading = await Validate(projectId, path);

                    Assert.True(reading.GetProperty("valid").GetBoolean(), $"{template}/{pattern}/{os}: {path} → {reading}");
                    Assert.Equal(template, reading.Str("templateUsed"));
                    Assert.Equal(pattern, reading.GetProperty("patternUsed").GetString());
                    Assert.Equal(Pairs(generated.GetProperty("components")), Pairs(reading.GetProperty("components")));
                    checkedPaths++;
                }
            }
        }

        Assert.True(checkedPaths >= 9, $"only {checkedPaths} paths checked");
    }

    [Fact]
    public async Task Backslashes_and_a_linux_root_read_as_the_stored_template()
    {
        await CreateAsync(DemoProjects.SkyWars);

        var windows = await Validate("SWA", @"V:\SWA\all\scene\ep01\sq010\sh020\lighting\version\ep01_sq010_sh020_lighting_master_v003.ma");
        Assert.True(windows.GetProperty("valid").GetBoolean(), windows.ToString());
        Assert.Equal("maya_scene", windows.Str("patternUsed"));
        Assert.Equal("v003", windows.GetProperty("components").Str("version"));
        Assert.Equal("sq010", windows.GetProperty("components").Str("sequenceClean"));

        var linux = await Validate("SWA", "/mnt/vfx/render/SWA/all/scene/ep01/sq010/sh020/lighting/version/v003/ep01_sq010_sh020_lighting_v003.1001.exr");
        Assert.True(linux.GetProperty("valid").GetBoolean(), linux.ToString());
        Assert.Equal("render_output", linux.Str("templateUsed"));
        Assert.Equal("render_sequence", linux.Str("patternUsed"));
        Assert.Equal("1001", linux.GetProperty("components").Str("frame"));
    }

    [Fact]
    public async Task A_path_that_follows_no_template_is_200_invalid_with_how_far_it_matched()
    {
        await CreateAsync(DemoProjects.SkyWars);

        var reading = await Validate("SWA", "V:/SWA/all/scene/ep01/SQ010/sh020/lighting/version/x.ma");

        Assert.False(reading.GetProperty("valid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, reading.GetProperty("templateUsed").ValueKind);
        var closest = reading.GetProperty("errors")[0];
        Assert.Equal("working_file", closest.Str("template"));
        Assert.Equal("V:/SWA/all/scene/ep01/", closest.Str("matched"));
        Assert.Equal("{sequence_clean}", closest.Str("expected"));
        Assert.Equal("SQ010", closest.Str("found"));
        Assert.Contains("then expected {sequence_clean} but found 'SQ010'", closest.Str("error"));
    }

    [Fact]
    public async Task A_file_name_that_follows_no_pattern_says_how_far_it_followed_each()
    {
        await CreateAsync(DemoProjects.SkyWars);

        var reading = await Validate("SWA", "V:/SWA/all/scene/ep01/sq010/sh020/lighting/version/ep01_sq010_sh020_lighting_final_v003.ma");

        Assert.False(reading.GetProperty("valid").GetBoolean());
        var maya = reading.GetProperty("errors").EnumerateArray().First(e => e.GetProperty("pattern").GetString() == "maya_scene");
        Assert.Equal("V:/SWA/all/scene/ep01/sq010/sh020/lighting/version/ep01_sq010_sh020_lighting", maya.Str("matched"));
        Assert.Equal("_master_v", maya.Str("expected"));
        Assert.Equal("_final_v003.ma", maya.Str("found"));
    }

    [Fact]
    public async Task A_folder_name_and_its_clean_form_must_agree()
    {
        var id = Builders.NewProjectId("CL");
        var project = Builders.Project(id);
        project["templates"] = new Dictionary<string, string> { ["shot_dir"] = "{drive_working}/{sequence}/{sequence_clean}/" };
        await (await _client.PostJson("/api/v1/projects", project)).Expect(HttpStatusCode.Created);

        Assert.True((await Validate(id, "V:/SQ 010/sq_010/")).GetProperty("valid").GetBoolean());
        var disagreeing = await Validate(id, "V:/SQ 010/sq_011/");
        Assert.False(disagreeing.GetProperty("valid").GetBoolean());
        Assert.Contains("must be the same name", disagreeing.GetProperty("errors")[0].Str("error"));
    }

    [Fact]
    public async Task Missing_or_hidden_inputs_are_clear_errors()
    {
        await CreateAsync(DemoProjects.SkyWars);
        var missing = await (await _client.GetAsync("/api/v1/paths/validate?project_id=SWA")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("path", missing.Fields());
        await (await _client.GetAsync("/api/v1/paths/validate?project_id=NOPE&path=V:/x")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var outsider = await app.CreateUser();
        await (await outsider.Client.GetAsync("/api/v1/paths/validate?project_id=SWA&path=V:/x")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var tooLong = await (await _client.GetAsync($"/api/v1/paths/validate?project_id=SWA&path=V:/{new string('a', 5000)}")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal("VALIDATION_ERROR", tooLong.GetProperty("error").Str("code"));
    }

    [Fact]
    public async Task The_v20_shape_has_snake_case_components()
    {
        await CreateAsync(DemoProjects.SkyWars);
        var response = await _client.SendWith(HttpMethod.Get,
            "/api/v1/paths/validate?project_id=SWA&path=V:/SWA/all/scene/ep01/sq010/sh020/lighting/version/ep01_sq010_sh020_lighting_master_v003.ma", null, ("Montu-Version", "2.0"));
        var reading = await response.Expect(HttpStatusCode.OK);

        Assert.Equal("working_file", reading.Str("template_used"));
        Assert.Equal("sq010", reading.GetProperty("components").Str("sequence_clean"));
    }

    private async Task<JsonElement> Validate(string project, string path) =>
        await (await _client.GetAsync($"/api/v1/paths/validate?project_id={project}&path={Uri.EscapeDataString(path)}")).Expect(HttpStatusCode.OK);

    private static List<(string, string)> Pairs(JsonElement components) =>
        components.EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)).ToList();
}
