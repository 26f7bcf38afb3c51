using System.Net;

namespace Montu.Server.Tests.Features.Projects;

public sealed class ProjectCrudTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Create_returns_the_project_in_camelCase_with_user_keys_untouched()
    {
        var id = Builders.NewProjectId();
        var body = await (await _client.PostJson("/api/v1/projects", Builders.Project(id))).Expect(HttpStatusCode.Created);

        Assert.Equal(id, body.Str("id"));
        Assert.Equal("active", body.Str("status"));
        Assert.Equal("V:", body.GetProperty("driveMapping").Str("workingFiles"));
        Assert.Equal("all/scene", body.GetProperty("pathSegments").Str("middlePath"));
        Assert.StartsWith("{drive_working}/", body.GetProperty("templates").Str("working_file"));
        Assert.True(body.GetProperty("filenamePatterns").TryGetProperty("maya_scene", out _));
        Assert.Equal(["low", "medium", "high", "urgent"], body.GetProperty("priorityLevels").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("pending_review", body.GetProperty("taskStatuses").EnumerateArray().Select(e => e.GetString()));
        Assert.EndsWith("Z", body.Str("createdAt"));
    }

    [Fact]
    public async Task Create_accepts_snake_case_keys()
    {
        var id = Builders.NewProjectId();
        var snake = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["name"] = "Snake",
            ["drive_mapping"] = new { working_files = "V:", render_outputs = "W:", media_files = "E:", cache_files = "E:", backup_files = "E:" },
            ["path_segments"] = new { middle_path = "shows" },
            ["task_types"] = new[] { "comp" },
        };

        var body = await (await _client.PostJson("/api/v1/projects", snake)).Expect(HttpStatusCode.Created);

        Assert.Equal("W:", body.GetProperty("driveMapping").Str("renderOutputs"));
        Assert.Equal("shows", body.GetProperty("pathSegments").Str("middlePath"));
        Assert.Equal("version", body.GetProperty("pathSegments").Str("versionDir"));
        Assert.Equal(["comp"], body.GetProperty("taskTypes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Duplicate_id_returns_409_even_with_different_case()
    {
        var id = await _client.CreateProject();

        var error = await (await _client.PostJson("/api/v1/projects", Builders.Project(id.ToLowerInvariant()))).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Contains("id", error.Fields());
    }

    [Fact]
    public async Task Concurrent_creates_of_one_id_give_one_201_and_409s_never_a_500()
    {
        var id = Builders.NewProjectId("RACE");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _client.PostJson("/api/v1/projects", Builders.Project(id))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await response.ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        }
    }

    [Fact]
    public async Task Invalid_configuration_lists_every_problem_with_its_field()
    {
        var project = Builders.Project("x");
        project["driveMapping"] = new { workingFiles = "", renderOutputs = "W:", mediaFiles = "E:", cacheFiles = "E:", backupFiles = "E:" };
        project["templates"] = new Dictionary<string, string> { ["working_file"] = "{drive_working}/{nope}/{filename}" };
        project["taskTypes"] = new[] { "comp", "comp" };
        project["priorityLevels"] = Array.Empty<string>();

        var error = await (await _client.PostJson("/api/v1/projects", project)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var fields = error.Fields();
        Assert.Contains("id", fields);
        Assert.Contains("driveMapping.workingFiles", fields);
        Assert.Contains("templates.working_file", fields);
        Assert.Contains("taskTypes", fields);
        Assert.Contains("priorityLevels", fields);
        var drive = error.GetProperty("details").EnumerateArray().Single(d => d.Str("field") == "driveMapping.workingFiles");
        Assert.Equal("REQUIRED_FIELD", drive.Str("code"));
        var template = error.GetProperty("details").EnumerateArray().Single(d => d.Str("field") == "templates.working_file");
        Assert.Contains("{nope}", template.Str("message"));
    }

    [Fact]
    public async Task Unknown_field_is_rejected_and_named()
    {
        var project = Builders.Project(Builders.NewProjectId());
        project["colour"] = "red";

        var error = await (await _client.PostJson("/api/v1/projects", project)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal("colour", detail.Str("field"));
        Assert.Equal("UNKNOWN_FIELD", detail.Str("code"));
    }

    [Fact]
    public async Task Wrong_type_and_malformed_json_are_400_not_500()
    {
        var project = Builders.Project(Builders.NewProjectId());
        project["taskTypes"] = "comp";
        var wrongType = await (await _client.PostJson("/api/v1/projects", project)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["taskTypes"], wrongType.Fields());

        var malformed = await (await _client.PostRaw("/api/v1/projects", "{\"id\": ")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("MALFORMED_JSON", malformed.GetProperty("details")[0].Str("code"));

        var unsupported = await (await _client.PostRaw("/api/v1/projects", "id=X", "text/plain")).ExpectError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        Assert.Contains("application/json", unsupported.Str("message"));
    }

    [Fact]
    public async Task Server_owned_fields_cannot_be_written()
    {
        var id = await _client.CreateProject();

        var error = await (await _client.PatchJson($"/api/v1/projects/{id}", new { createdAt = "2020-01-01T00:00:00Z" }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal("READ_ONLY_FIELD", error.GetProperty("details")[0].Str("code"));
        Assert.Equal("createdAt", error.GetProperty("details")[0].Str("field"));
    }

    [Fact]
    public async Task Patch_and_put_are_partial_and_merge_templates()
    {
        var id = await _client.CreateProject();

        var patched = await (await _client.PatchJson($"/api/v1/projects/{id}", new Dictionary<string, object?>
        {
            ["name"] = "Renamed",
            ["driveMapping"] = new { renderOutputs = "R:" },
            ["templates"] = new Dictionary<string, string?> { ["cache_file"] = "{drive_cache}/{project}/{cache_dir}" },
        })).Expect(HttpStatusCode.OK);
        var put = await (await _client.PutJson($"/api/v1/projects/{id}", new { description = "Put is partial" })).Expect(HttpStatusCode.OK);

        Assert.Equal("Renamed", patched.Str("name"));
        Assert.Equal("R:", patched.GetProperty("driveMapping").Str("renderOutputs"));
        Assert.Equal("V:", patched.GetProperty("driveMapping").Str("workingFiles"));
        Assert.Equal(2, patched.GetProperty("templates").EnumerateObject().Count());
        Assert.Equal("Renamed", put.Str("name"));
        Assert.Equal("Put is partial", put.Str("description"));
        var fetched = await (await _client.GetAsync($"/api/v1/projects/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Put is partial", fetched.Str("description"));
    }

    [Fact]
    public async Task Archive_hides_from_list_and_restore_brings_back()
    {
        var id = await _client.CreateProject(Builders.NewProjectId("ARC"));

        var archived = await (await _client.DeleteAsync($"/api/v1/projects/{id}")).Expect(HttpStatusCode.OK);
        var hidden = await (await _client.GetAsync("/api/v1/projects?search=ARC")).Expect(HttpStatusCode.OK);
        var shown = await (await _client.GetAsync("/api/v1/projects?search=ARC&include_archived=true")).Expect(HttpStatusCode.OK);
        var restored = await (await _client.PostAsync($"/api/v1/projects/{id}/restore", null)).Expect(HttpStatusCode.OK);
        var listed = await (await _client.GetAsync("/api/v1/projects?search=ARC")).Expect(HttpStatusCode.OK);

        Assert.Equal("archived", archived.Str("status"));
        Assert.DoesNotContain(id, hidden.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
        Assert.Contains(id, shown.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
        Assert.Equal("active", restored.Str("status"));
        Assert.Contains(id, listed.GetProperty("items").EnumerateArray().Select(p => p.Str("id")));
    }

    [Fact]
    public async Task Unknown_project_is_404_in_the_envelope()
    {
        var error = await (await _client.GetAsync("/api/v1/projects/NOPE_404")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("NOPE_404", error.Str("message"));
        await (await _client.GetAsync("/api/v1/no-such-route")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
