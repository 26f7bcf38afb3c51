using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Tasks;

public sealed class TaskCrudTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Create_returns_201_with_location_defaults_and_every_contract_field()
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.ShotTask(project, episode: project);
        body["frameRange"] = new { start = 1001, end = 1153 };
        body["deadline"] = "2025-09-01T17:00:00Z";
        body["estimatedDurationHours"] = 40.0;

        var response = await _client.PostJson("/api/v1/tasks", body);
        var task = await response.Expect(HttpStatusCode.Created);

        var id = $"{project.ToLowerInvariant()}_sq0010_sh0020_lighting";
        Assert.Equal($"/api/v1/tasks/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(id, task.Str("id"));
        Assert.Equal(project, task.Str("projectId"));
        Assert.Equal("not_started", task.Str("status"));
        Assert.Equal("medium", task.Str("priority"));
        Assert.Equal(1001, task.GetProperty("frameRange").GetProperty("start").GetInt32());
        Assert.Equal("2025-09-01T17:00:00Z", task.Str("deadline"));
        Assert.Equal(40.0, task.GetProperty("estimatedDurationHours").GetDouble());
        Assert.Equal(0, task.GetProperty("actualTimeLogged").GetDouble());
        Assert.Equal(0, task.GetProperty("versions").GetArrayLength());
        Assert.False(task.GetProperty("masterFile").GetBoolean());
        Assert.Empty(task.GetProperty("customFields").EnumerateObject());
        string[] contract =
        [
            "id", "projectId", "type", "episode", "sequence", "shot", "asset", "task", "artist", "status", "priority", "milestone",
            "milestoneNote", "frameRange", "startTime", "deadline", "estimatedDurationHours", "actualTimeLogged", "versions",
            "currentVersion", "publishedVersion", "fileExtension", "masterFile", "workingFilePath", "renderOutputPath",
            "mediaFilePath", "cacheFilePath", "filename", "episodeClean", "sequenceClean", "shotClean", "description",
            "customFields", "createdAt", "updatedAt", "createdBy", "revision",
        ];
        Assert.Equal(contract, task.EnumerateObject().Select(p => p.Name));
        Assert.Equal(task.ToString(), (await _client.GetTask(id)).ToString());
    }

    [Fact]
    public async Task Create_accepts_snake_case_keys()
    {
        var project = await _client.CreateProject();
        var snake = new Dictionary<string, object?>
        {
            ["project_id"] = project,
            ["episode"] = project,
            ["sequence"] = "sq0010",
            ["shot"] = "SH0030",
            ["task"] = "comp",
            ["frame_range"] = new { start = 1, end = 10 },
            ["milestone_note"] = "Setting up",
            ["estimated_duration_hours"] = 8,
            ["master_file"] = true,
            ["file_extension"] = ".nk",
        };

        var task = await _client.CreateTask(snake);

        Assert.Equal(project, task.Str("projectId"));
        Assert.Equal(10, task.GetProperty("frameRange").GetProperty("end").GetInt32());
        Assert.Equal("Setting up", task.Str("milestoneNote"));
        Assert.Equal(8, task.GetProperty("estimatedDurationHours").GetDouble());
        Assert.True(task.GetProperty("masterFile").GetBoolean());
        Assert.Equal(".nk", task.Str("fileExtension"));
        Assert.Empty(task.GetProperty("customFields").EnumerateObject());
    }

    [Fact]
    public async Task Asset_task_id_is_derived_from_asset_and_task()
    {
        var project = await _client.CreateProject();

        var task = await _client.CreateTask(TaskBuilders.AssetTask(project, $"Hero Ship {project}", "rigging"));

        Assert.Equal($"hero_ship_{project.ToLowerInvariant()}_rigging", task.Str("id"));
        Assert.Equal("asset", task.Str("type"));
        Assert.Equal(JsonValueKind.Null, task.GetProperty("frameRange").ValueKind);
    }

    [Fact]
    public async Task Clean_names_are_derived_lowercased_with_spaces_as_underscores_and_odd_characters_dropped()
    {
        var project = await _client.CreateProject();

        var task = await _client.CreateTask(TaskBuilders.ShotTask(project, episode: $"Ep {project}!", sequence: "Sq 010 (b)", shot: "SH/0020"));

        Assert.Equal($"ep_{project.ToLowerInvariant()}", task.Str("episodeClean"));
        Assert.Equal("sq_010_b", task.Str("sequenceClean"));
        Assert.Equal("sh0020", task.Str("shotClean"));
        Assert.Equal($"ep_{project.ToLowerInvariant()}_sq_010_b_sh0020_lighting", task.Str("id"));
        Assert.Equal($"Ep {project}!", task.Str("episode"));
    }

    [Fact]
    public async Task Client_supplied_id_is_kept_and_an_invalid_one_is_400()
    {
        var project = await _client.CreateProject();

        var task = await _client.CreateTask(TaskBuilders.NamedTask(project, $"Custom.{project}-1"));
        var error = await (await _client.PostJson("/api/v1/tasks", TaskBuilders.NamedTask(project, "has space")))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal($"Custom.{project}-1", task.Str("id"));
        Assert.Equal(["id"], error.Fields());
    }

    [Fact]
    public async Task Duplicate_derived_or_supplied_id_is_409()
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.ShotTask(project, episode: project);
        await _client.CreateTask(body);
        await _client.CreateTask(TaskBuilders.NamedTask(project, $"named_{project}"));

        var derived = await (await _client.PostJson("/api/v1/tasks", body)).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        var supplied = await (await _client.PostJson("/api/v1/tasks", TaskBuilders.NamedTask(project, $"named_{project}")))
            .ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Equal(["id"], derived.Fields());
        Assert.Contains($"{project.ToLowerInvariant()}_sq0010_sh0020_lighting", derived.Str("message"));
        Assert.Equal(["id"], supplied.Fields());
    }

    [Fact]
    public async Task Two_shows_named_alike_both_get_their_tasks_the_second_with_its_code_in_front()
    {
        var first = await _client.CreateProject();
        var second = await _client.CreateProject();
        var episode = "ep" + first;

        var original = await _client.CreateTask(TaskBuilders.ShotTask(first, episode: episode));
        var alike = await _client.CreateTask(TaskBuilders.ShotTask(second, episode: episode));
        var again = await (await _client.PostJson("/api/v1/tasks", TaskBuilders.ShotTask(second, episode: episode))).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        var derived = $"{episode.ToLowerInvariant()}_sq0010_sh0020_lighting";
        Assert.Equal(derived, original.Str("id"));
        Assert.Equal($"{second.ToLowerInvariant()}_{derived}", alike.Str("id"));
        Assert.Equal(second, (await _client.GetTask(alike.Str("id"))).Str("projectId"));
        Assert.Contains($"'{second.ToLowerInvariant()}_{derived}'", again.Str("message"));
    }

    [Fact]
    public async Task A_supplied_id_another_show_has_is_409_not_renamed()
    {
        var first = await _client.CreateProject();
        var second = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.NamedTask(first, $"shared_{first}"));

        var error = await (await _client.PostJson("/api/v1/tasks", TaskBuilders.NamedTask(second, $"shared_{first}"))).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Equal(["id"], error.Fields());
    }

    [Fact]
    public async Task Project_is_required_and_must_exist()
    {
        var missing = TaskBuilders.ShotTask("x");
        missing.Remove("projectId");

        var required = await (await _client.PostJson("/api/v1/tasks", missing)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var unknown = await (await _client.PostJson("/api/v1/tasks", TaskBuilders.ShotTask("NO_SUCH_PROJECT")))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["projectId"], required.Fields());
        Assert.Equal("REQUIRED_FIELD", required.GetProperty("details")[0].Str("code"));
        Assert.Equal(["projectId"], unknown.Fields());
    }

    [Fact]
    public async Task Creating_in_an_archived_project_is_422()
    {
        var project = await _client.CreateProject();
        await (await _client.DeleteAsync($"/api/v1/projects/{project}")).Expect(HttpStatusCode.OK);

        var error = await (await _client.PostJson("/api/v1/tasks", TaskBuilders.ShotTask(project, episode: project)))
            .ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        Assert.Contains(project, error.Str("message"));
    }

    [Fact]
    public async Task Shot_tasks_need_episode_sequence_and_shot_and_asset_tasks_need_asset()
    {
        var project = await _client.CreateProject();
        var shot = new Dictionary<string, object?> { ["projectId"] = project, ["task"] = "comp" };
        var asset = new Dictionary<string, object?> { ["projectId"] = project, ["type"] = "asset", ["task"] = "comp" };
        var noTask = TaskBuilders.ShotTask(project, episode: project);
        noTask.Remove("task");

        var shotError = await (await _client.PostJson("/api/v1/tasks", shot)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var assetError = await (await _client.PostJson("/api/v1/tasks", asset)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var taskError = await (await _client.PostJson("/api/v1/tasks", noTask)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["episode", "sequence", "shot"], shotError.Fields());
        Assert.Equal(["asset"], assetError.Fields());
        Assert.Equal(["task"], taskError.Fields());
    }

    [Theory]
    [InlineData("task", "painting")]
    [InlineData("status", "done_ish")]
    [InlineData("priority", "critical")]
    [InlineData("milestone", "first_look")]
    [InlineData("type", "sequence")]
    public async Task Values_outside_the_project_vocabulary_are_400_naming_the_field(string field, string value)
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.ShotTask(project, episode: project);
        body[field] = value;

        var error = await (await _client.PostJson("/api/v1/tasks", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal(field, detail.Str("field"));
        Assert.Contains(value, detail.Str("message"));
    }

    [Fact]
    public async Task Vocabulary_values_of_the_project_are_accepted()
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.ShotTask(project, episode: project, task: "fx");
        body["status"] = "pending_review";
        body["priority"] = "urgent";
        body["milestone"] = "final_render";

        var task = await _client.CreateTask(body);

        Assert.Equal(("fx", "pending_review", "urgent", "final_render"), (task.Str("task"), task.Str("status"), task.Str("priority"), task.Str("milestone")));
    }

    [Theory]
    [InlineData(1100, 1001)]
    [InlineData(1001, 1001)]
    public async Task Frame_range_start_must_be_below_end(int start, int end)
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.ShotTask(project, episode: project);
        body["frameRange"] = new { start, end };

        var error = await (await _client.PostJson("/api/v1/tasks", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["frameRange"], error.Fields());
    }

    [Fact]
    public async Task Negative_hours_are_400()
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.ShotTask(project, episode: project);
        body["estimatedDurationHours"] = -1;
        body["actualTimeLogged"] = -0.5;

        var error = await (await _client.PostJson("/api/v1/tasks", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["estimatedDurationHours", "actualTimeLogged"], error.Fields());
    }

    [Fact]
    public async Task Unknown_task_is_404_in_the_envelope()
    {
        var error = await (await _client.GetAsync("/api/v1/tasks/no_such_task")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Contains("no_such_task", error.Str("message"));
        await (await _client.PatchJson("/api/v1/tasks/no_such_task", new { artist = "x" })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await _client.DeleteAsync("/api/v1/tasks/no_such_task")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Delete_archives_and_restore_puts_the_previous_status_back()
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.ShotTask(project, episode: project);
        body["status"] = "on_hold";
        var id = (await _client.CreateTask(body)).Str("id");

        var archived = await (await _client.DeleteAsync($"/api/v1/tasks/{id}")).Expect(HttpStatusCode.OK);
        var hidden = await _client.ListIds($"project_id={project}");
        var included = await _client.ListIds($"project_id={project}&include_archived=true");
        var byStatus = await _client.ListIds($"project_id={project}&status=archived");
        var restored = await (await _client.PostAsync($"/api/v1/tasks/{id}/restore", null)).Expect(HttpStatusCode.OK);

        Assert.Equal("archived", archived.Str("status"));
        Assert.Empty(hidden);
        Assert.Equal([id], included);
        Assert.Equal([id], byStatus);
        Assert.Equal("on_hold", restored.Str("status"));
        Assert.Equal([id], await _client.ListIds($"project_id={project}"));
    }

    [Fact]
    public async Task Restoring_a_task_that_is_not_archived_is_422()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id");

        var error = await (await _client.PostAsync($"/api/v1/tasks/{id}/restore", null))
            .ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        Assert.Contains(id, error.Str("message"));
    }

    [Fact]
    public async Task An_archived_task_cannot_be_edited_until_restored()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id");
        await (await _client.DeleteAsync($"/api/v1/tasks/{id}")).Expect(HttpStatusCode.OK);

        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "ana" }))
            .ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        Assert.Equal(JsonValueKind.Null, (await _client.GetTask(id)).GetProperty("artist").ValueKind);
    }
}
