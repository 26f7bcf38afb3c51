using System.Net;

namespace Montu.Server.Tests.Features.Tasks;

/// <summary>A typo in a field name never becomes a silent custom field.</summary>
public sealed class TaskStrictFieldTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Creating_with_a_misspelled_field_is_400_with_a_suggestion_and_creates_nothing()
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.ShotTask(project, episode: project);
        body["artsit"] = "john_doe";

        var error = await (await _client.PostJson("/api/v1/tasks", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal(("artsit", "UNKNOWN_FIELD"), (detail.Str("field"), detail.Str("code")));
        Assert.Equal("Unknown field 'artsit'; did you mean 'artist'?; send custom fields inside 'customFields'", detail.Str("message"));
        Assert.Equal(0, (await _client.ListTasks($"project_id={project}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Creating_with_an_unknown_field_points_at_customFields_and_customFields_are_kept()
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.ShotTask(project, episode: project);
        body["lens_mm"] = 35;

        var error = await (await _client.PostJson("/api/v1/tasks", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        body.Remove("lens_mm");
        body["customFields"] = new { lens_mm = 35 };
        var task = await _client.CreateTask(body);

        Assert.Equal("Unknown field 'lens_mm'; send custom fields inside 'customFields'", error.Str("message"));
        Assert.Equal(35, task.GetProperty("customFields").GetProperty("lens_mm").GetInt32());
    }

    [Theory]
    [InlineData("statsu", "status")]
    [InlineData("Artist", "artist")]
    [InlineData("frame-range", "frameRange")]
    [InlineData("deadLine", "deadline")]
    [InlineData("descripton", "description")]
    public async Task Patching_a_key_spelled_like_a_task_field_is_400_naming_the_field(string key, string meant)
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id");
        var before = await _client.GetTask(id);

        var error = await (await _client.PatchJson($"/api/v1/tasks/{id}", new Dictionary<string, object?> { [key] = "x", ["priority"] = "high" }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal((key, "UNKNOWN_FIELD"), (detail.Str("field"), detail.Str("code")));
        Assert.Contains($"did you mean '{meant}'?", detail.Str("message"));
        Assert.Equal(before.ToString(), (await _client.GetTask(id)).ToString());
    }

    [Fact]
    public async Task A_look_alike_key_the_task_already_has_as_a_custom_field_is_updated()
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.ShotTask(project, episode: project);
        body["customFields"] = new { assets = "chr_hero" };
        var id = (await _client.CreateTask(body)).Str("id");

        var task = await (await _client.PatchJson($"/api/v1/tasks/{id}", new { assets = "chr_hero prp_sword" })).Expect(HttpStatusCode.OK);

        Assert.Equal("chr_hero prp_sword", task.GetProperty("customFields").Str("assets"));
    }

    [Fact]
    public async Task Other_unknown_patch_keys_are_still_stored_as_custom_fields()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id");

        var task = await (await _client.PatchJson($"/api/v1/tasks/{id}", new { bid_days = 4.5 })).Expect(HttpStatusCode.OK);

        Assert.Equal(4.5, task.GetProperty("customFields").GetProperty("bid_days").GetDouble());
    }

    [Fact]
    public async Task A_bulk_item_with_a_misspelled_key_fails_alone()
    {
        var project = await _client.CreateProject();
        var ids = await _client.CreateTasks([TaskBuilders.ShotTask(project, episode: project), TaskBuilders.ShotTask(project, episode: project, shot: "sh0030")]);

        var result = await (await _client.PatchJson("/api/v1/tasks/bulk-update", new object[]
        {
            new { taskId = ids[0], updates = new { priorty = "high" } },
            new { taskId = ids[1], updates = new { priority = "high" } },
        })).Expect(HttpStatusCode.OK);

        Assert.Equal(1, result.GetProperty("failed").GetInt32());
        var error = result.GetProperty("errors")[0];
        Assert.Equal((ids[0], "priorty", "UNKNOWN_FIELD"), (error.Str("taskId"), error.GetProperty("details")[0].Str("field"), error.GetProperty("details")[0].Str("code")));
        Assert.Equal("medium", (await _client.GetTask(ids[0])).Str("priority"));
        Assert.Equal("high", (await _client.GetTask(ids[1])).Str("priority"));
    }
}
