using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Tasks;

public sealed class TaskPatchTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private async Task<string> NewTask(params (string Key, object? Value)[] fields)
    {
        var project = await _client.CreateProject();
        return (await _client.CreateTask(TaskBuilders.NamedTask(project, $"t_{project}", fields))).Str("id");
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_sent_in_camelCase()
    {
        var id = await NewTask(("description", "Keep me"));

        var task = await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "john_doe", status = "in_progress", milestoneNote = "Rig up" }))
            .Expect(HttpStatusCode.OK);

        Assert.Equal(("john_doe", "in_progress", "Rig up"), (task.Str("artist"), task.Str("status"), task.Str("milestoneNote")));
        Assert.Equal("Keep me", task.Str("description"));
        Assert.Equal(task.ToString(), (await _client.GetTask(id)).ToString());
    }

    [Fact]
    public async Task Patch_accepts_snake_case_keys()
    {
        var id = await NewTask();

        var task = await (await _client.PatchJson($"/api/v1/tasks/{id}", new Dictionary<string, object?>
        {
            ["milestone_note"] = "Snake",
            ["frame_range"] = new { start = 1001, end = 1100 },
            ["estimated_duration_hours"] = 12.5,
            ["working_file_path"] = "V:/show/file.ma",
        })).Expect(HttpStatusCode.OK);

        Assert.Equal("Snake", task.Str("milestoneNote"));
        Assert.Equal(1100, task.GetProperty("frameRange").GetProperty("end").GetInt32());
        Assert.Equal(12.5, task.GetProperty("estimatedDurationHours").GetDouble());
        Assert.Equal("V:/show/file.ma", task.Str("workingFilePath"));
        Assert.Empty(task.GetProperty("customFields").EnumerateObject());
    }

    [Fact]
    public async Task Put_is_a_partial_update_like_patch()
    {
        var id = await NewTask(("artist", "ana"));

        var task = await (await _client.PutJson($"/api/v1/tasks/{id}", new { priority = "high" })).Expect(HttpStatusCode.OK);

        Assert.Equal(("high", "ana"), (task.Str("priority"), task.Str("artist")));
    }

    [Fact]
    public async Task Unknown_keys_are_stored_into_customFields_with_their_spelling()
    {
        var id = await NewTask();

        var task = await (await _client.PatchJson($"/api/v1/tasks/{id}", new Dictionary<string, object?>
        {
            ["status"] = "in_progress",
            ["vendor"] = "new_value",
            ["clientNotes"] = new { ui_color = "#ff6b6b", weight = 5 },
        })).Expect(HttpStatusCode.OK);

        var custom = task.GetProperty("customFields");
        Assert.Equal("in_progress", task.Str("status"));
        Assert.Equal("new_value", custom.Str("vendor"));
        Assert.Equal("#ff6b6b", custom.GetProperty("clientNotes").Str("ui_color"));
        Assert.Equal(5, custom.GetProperty("clientNotes").GetProperty("weight").GetInt32());
        Assert.True(JsonElement.DeepEquals(custom, (await _client.GetTask(id)).GetProperty("customFields")));
    }

    [Fact]
    public async Task CustomFields_in_the_body_merge_and_a_null_value_removes_a_key()
    {
        var id = await NewTask(("customFields", new { keep = 1, drop = 2 }));

        var task = await (await _client.PatchJson($"/api/v1/tasks/{id}", new Dictionary<string, object?>
        {
            ["customFields"] = new Dictionary<string, object?> { ["drop"] = null, ["added"] = true },
        })).Expect(HttpStatusCode.OK);

        var custom = task.GetProperty("customFields");
        Assert.Equal(["added", "keep"], custom.EnumerateObject().Select(p => p.Name).Order());
        Assert.True(custom.GetProperty("added").GetBoolean());
    }

    [Theory]
    [InlineData("id")]
    [InlineData("projectId")]
    [InlineData("project_id")]
    [InlineData("createdAt")]
    [InlineData("updated_at")]
    [InlineData("createdBy")]
    [InlineData("episodeClean")]
    public async Task Server_owned_fields_are_400_READ_ONLY_FIELD(string field)
    {
        var id = await NewTask();

        var error = await (await _client.PatchJson($"/api/v1/tasks/{id}", new Dictionary<string, object?> { [field] = "OTHER", ["artist"] = "x" }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal((field, "READ_ONLY_FIELD"), (detail.Str("field"), detail.Str("code")));
        Assert.Equal(JsonValueKind.Null, (await _client.GetTask(id)).GetProperty("artist").ValueKind);
    }

    [Theory]
    [InlineData("artist", "5", "INVALID_TYPE")]
    [InlineData("deadline", "\"next week\"", "INVALID_FORMAT")]
    [InlineData("deadline", "12", "INVALID_FORMAT")]
    [InlineData("estimatedDurationHours", "\"forty\"", "INVALID_TYPE")]
    [InlineData("masterFile", "\"yes\"", "INVALID_TYPE")]
    [InlineData("versions", "{}", "INVALID_TYPE")]
    [InlineData("frameRange", "[1, 2]", "INVALID_TYPE")]
    [InlineData("frameRange.start", "{\"start\": 1.5, \"end\": 9}", "INVALID_TYPE")]
    [InlineData("customFields", "\"text\"", "INVALID_TYPE")]
    [InlineData("status", "null", "REQUIRED_FIELD")]
    [InlineData("task", "\"  \"", "REQUIRED_FIELD")]
    [InlineData("actualTimeLogged", "null", "INVALID_TYPE")]
    public async Task Wrong_types_and_values_are_400_naming_the_field(string field, string json, string code)
    {
        var id = await NewTask();
        var key = field.Split('.')[0];

        var error = await (await _client.PatchRaw($"/api/v1/tasks/{id}", $"{{\"{key}\": {json}}}"))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal((field, code), (detail.Str("field"), detail.Str("code")));
    }

    [Fact]
    public async Task Null_clears_optional_fields()
    {
        var id = await NewTask(("artist", "ana"), ("milestone", "low_quality"), ("deadline", "2025-09-01T17:00:00Z"),
            ("frameRange", new { start = 1, end = 2 }));

        var task = await (await _client.PatchRaw($"/api/v1/tasks/{id}", """{"artist": null, "milestone": null, "deadline": null, "frame_range": null}"""))
            .Expect(HttpStatusCode.OK);

        foreach (var field in new[] { "artist", "milestone", "deadline", "frameRange" })
        {
            Assert.Equal(JsonValueKind.Null, task.GetProperty(field).ValueKind);
        }
    }

    [Fact]
    public async Task A_partial_frame_range_moves_only_the_end_given()
    {
        var id = await NewTask(("frameRange", new { start = 1001, end = 1100 }));

        var task = await (await _client.PatchJson($"/api/v1/tasks/{id}", new { frameRange = new { end = 1200 } })).Expect(HttpStatusCode.OK);
        var error = await (await _client.PatchJson($"/api/v1/tasks/{id}", new { frameRange = new { end = 1000 } }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal("{\"start\":1001,\"end\":1200}", task.GetProperty("frameRange").GetRawText());
        Assert.Equal(["frameRange"], error.Fields());
    }

    [Theory]
    [InlineData("task", "painting")]
    [InlineData("status", "done_ish")]
    [InlineData("priority", "critical")]
    [InlineData("milestone", "first_look")]
    public async Task Patch_checks_values_against_the_project_vocabulary(string field, string value)
    {
        var id = await NewTask();

        var error = await (await _client.PatchJson($"/api/v1/tasks/{id}", new Dictionary<string, object?> { [field] = value }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal([field], error.Fields());
    }

    [Fact]
    public async Task Status_archived_cannot_be_set_by_patch()
    {
        var id = await NewTask();

        var error = await (await _client.PatchJson($"/api/v1/tasks/{id}", new { status = "archived" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["status"], error.Fields());
        Assert.Contains("DELETE", error.Str("message"));
    }

    [Fact]
    public async Task Clearing_a_name_a_shot_task_needs_is_400()
    {
        var id = await NewTask();

        var error = await (await _client.PatchRaw($"/api/v1/tasks/{id}", """{"episode": null}""")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["episode"], error.Fields());
    }

    [Fact]
    public async Task Renaming_keeps_the_id_and_updates_the_clean_names()
    {
        var id = await NewTask();

        var task = await (await _client.PatchJson($"/api/v1/tasks/{id}", new { sequence = "SQ 0020" })).Expect(HttpStatusCode.OK);

        Assert.Equal((id, "sq_0020"), (task.Str("id"), task.Str("sequenceClean")));
    }

    [Theory]
    [InlineData("{\"artist\": ", "MALFORMED_JSON")]
    [InlineData("[{\"artist\": \"x\"}]", "INVALID_TYPE")]
    [InlineData("null", "INVALID_TYPE")]
    [InlineData("", "REQUIRED_FIELD")]
    [InlineData("{\"artist\": \"a\", \"artist\": \"b\"}", "DUPLICATE_VALUE")]
    public async Task A_body_that_is_not_one_json_object_is_400(string body, string code)
    {
        var id = await NewTask();

        var error = await (await _client.PatchRaw($"/api/v1/tasks/{id}", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(code, error.GetProperty("details")[0].Str("code"));
    }

    [Fact]
    public async Task A_patch_that_changes_nothing_keeps_updatedAt()
    {
        var id = await NewTask(("artist", "ana"));
        var before = await _client.GetTask(id);

        var after = await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "ana" })).Expect(HttpStatusCode.OK);

        Assert.Equal(before.Str("updatedAt"), after.Str("updatedAt"));
    }

    [Fact]
    public async Task Add_field_merges_the_body_into_customFields()
    {
        var id = await NewTask(("customFields", new { existing = "kept" }));

        var task = await (await _client.PostJson($"/api/v1/tasks/{id}/add-field", new Dictionary<string, object?>
        {
            ["frontend_metadata"] = new { ui_color = "#ff6b6b", priority_weight = 5 },
            ["custom_notes"] = "Updated from frontend",
            ["workflow_status"] = "pending_review",
        })).Expect(HttpStatusCode.OK);

        var custom = task.GetProperty("customFields");
        Assert.Equal(["custom_notes", "existing", "frontend_metadata", "workflow_status"], custom.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(5, custom.GetProperty("frontend_metadata").GetProperty("priority_weight").GetInt32());
        Assert.Equal("not_started", task.Str("status"));
    }

    [Fact]
    public async Task Add_field_refuses_a_core_field_name()
    {
        var id = await NewTask();

        var error = await (await _client.PostJson($"/api/v1/tasks/{id}/add-field", new { status = "approved" }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["status"], error.Fields());
    }
}
