using System.Net;
using System.Text.Json;
using Montu.Server.Tests.Features.TaskImport;

namespace Montu.Server.Tests.Features.TaskWorkflow;

/// <summary>taskTypeStatuses: a task type allowing fewer statuses, on every writer, and pruned with the vocabulary.</summary>
public sealed class TaskTypeStatusTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    /// <summary>A project whose comp tasks may only be in progress or approved.</summary>
    private async Task<string> ProjectAsync()
    {
        var id = Builders.NewProjectId("TS");
        var body = Builders.Project(id);
        body["taskTypeStatuses"] = new Dictionary<string, string[]> { ["comp"] = ["in_progress", "approved"] };
        var created = await (await _admin.PostJson("/api/v1/projects", body)).Expect(HttpStatusCode.Created);
        Assert.Equal("""{"comp":["in_progress","approved"]}""", created.GetProperty("taskTypeStatuses").GetRawText());
        return id;
    }

    private static async Task<JsonElement> StatusError(HttpResponseMessage response)
    {
        var error = await response.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["status"], error.Fields());
        return error;
    }

    [Fact]
    public async Task A_new_task_takes_its_types_statuses_and_starts_in_the_first_when_not_started_is_not_one()
    {
        var project = await ProjectAsync();
        var comp = await _admin.CreateTask(TaskBuilders.ShotTask(project, task: "comp"));
        Assert.Equal("in_progress", comp.Str("status"));
        Assert.Equal("not_started", (await _admin.CreateTask(TaskBuilders.ShotTask(project, task: "lighting"))).Str("status"));

        var refused = await StatusError(await _admin.PostJson("/api/v1/tasks", new Dictionary<string, object?>(TaskBuilders.ShotTask(project, shot: "SH0030", task: "comp")) { ["status"] = "on_hold" }));
        Assert.Contains("taskTypeStatuses.comp: in_progress, approved", refused.GetProperty("details")[0].Str("message"));
    }

    [Fact]
    public async Task A_patch_is_checked_when_status_or_type_changes_and_never_on_a_field_it_does_not_touch()
    {
        var project = await ProjectAsync();
        var comp = (await _admin.CreateTask(TaskBuilders.ShotTask(project, task: "comp"))).Str("id");
        var lighting = (await _admin.CreateTask(TaskBuilders.ShotTask(project, task: "lighting"))).Str("id");

        await StatusError(await _admin.PatchJson($"/api/v1/tasks/{comp}", new { status = "on_hold" }));
        Assert.Equal("approved", (await (await _admin.PatchJson($"/api/v1/tasks/{comp}", new { status = "approved" })).Expect(HttpStatusCode.OK)).Str("status"));
        // lighting is not_started, which comp does not allow: changing the type alone is refused.
        await StatusError(await _admin.PatchJson($"/api/v1/tasks/{lighting}", new { task = "comp" }));
        Assert.Equal("comp", (await (await _admin.PatchJson($"/api/v1/tasks/{lighting}", new { task = "comp", status = "in_progress", shot = "SH0099" })).Expect(HttpStatusCode.OK)).Str("task"));

        // A comp task put on hold before the restriction keeps its status through edits of other fields.
        var held = (await _admin.CreateTask(new Dictionary<string, object?>(TaskBuilders.ShotTask(project, shot: "SH0040", task: "lighting")) { ["status"] = "on_hold" })).Str("id");
        await (await _admin.PatchJson($"/api/v1/projects/{project}", new { taskTypeStatuses = new { lighting = (string[])["in_progress"] } })).Expect(HttpStatusCode.OK);
        var edited = await (await _admin.PatchJson($"/api/v1/tasks/{held}", new { description = "Still on hold" })).Expect(HttpStatusCode.OK);
        Assert.Equal(("on_hold", "Still on hold"), (edited.Str("status"), edited.Str("description")));
    }

    [Fact]
    public async Task Bulk_changes_and_imports_refuse_a_status_the_type_does_not_allow_item_by_item()
    {
        var project = await ProjectAsync();
        var comp = (await _admin.CreateTask(TaskBuilders.ShotTask(project, task: "comp"))).Str("id");
        var lighting = (await _admin.CreateTask(TaskBuilders.ShotTask(project, task: "lighting"))).Str("id");

        var bulk = await (await _admin.PostJson("/api/v1/tasks/bulk", new { taskIds = (string[])[comp, lighting], operation = "update_status", data = new { status = "on_hold" } }))
            .Expect(HttpStatusCode.OK);
        Assert.Equal([lighting], bulk.GetProperty("updatedTasks").EnumerateArray().Select(t => t.GetString()));
        var failed = Assert.Single(bulk.GetProperty("errors").EnumerateArray());
        Assert.Equal((comp, "status"), (failed.Str("taskId"), failed.GetProperty("details")[0].Str("field")));

        var perItem = await (await _admin.PatchJson("/api/v1/tasks/bulk-update", new object[] { new { taskId = comp, updates = new { status = "not_started" } } }))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(1, perItem.GetProperty("failed").GetInt32());

        var report = await (await _admin.Import(project, "episode,sequence,shot,task,status\nep09,sq010,sh0010,comp,on_hold\nep09,sq010,sh0020,comp,approved\n"))
            .Expect(HttpStatusCode.OK);
        Assert.Equal("status", Assert.Single(report.Errors()).Field);
        Assert.Equal(["in_progress"], (await _admin.ListTasks($"project_id={project}&task_type=comp&episode=Ep00")).GetProperty("items").EnumerateArray().Select(t => t.Str("status")));
        Assert.Equal(["approved"], (await _admin.ListTasks($"project_id={project}&episode=ep09")).GetProperty("items").EnumerateArray().Select(t => t.Str("status")));
    }

    [Fact]
    public async Task The_map_names_known_types_with_non_empty_subsets_of_the_statuses()
    {
        var project = await ProjectAsync();
        async Task<IReadOnlyList<string>> Refused(object map) =>
            (await (await _admin.PatchJson($"/api/v1/projects/{project}", new { taskTypeStatuses = map })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields();

        Assert.Equal(["taskTypeStatuses"], await Refused(new { cooking = (string[])["in_progress"] }));
        Assert.Equal(["taskTypeStatuses.fx"], await Refused(new { fx = Array.Empty<string>() }));
        Assert.Equal(["taskTypeStatuses.fx"], await Refused(new { fx = (string[])["in_progress", "baking"] }));
        Assert.Equal(["taskTypeStatuses.fx"], await Refused(new { fx = (string[])["in_progress", "in_progress"] }));

        var merged = await (await _admin.PatchJson($"/api/v1/projects/{project}", new Dictionary<string, object?>
        {
            ["taskTypeStatuses"] = new Dictionary<string, object?> { ["fx"] = (string[])["on_hold"], ["comp"] = null },
        })).Expect(HttpStatusCode.OK);
        Assert.Equal("""{"fx":["on_hold"]}""", merged.GetProperty("taskTypeStatuses").GetRawText());
    }

    [Fact]
    public async Task Taking_a_type_or_status_out_of_the_vocabulary_prunes_the_map()
    {
        var project = await ProjectAsync();
        await (await _admin.PatchJson($"/api/v1/projects/{project}", new { taskTypeStatuses = new { fx = (string[])["on_hold", "approved"] } })).Expect(HttpStatusCode.OK);

        var statuses = (string[])["not_started", "in_progress", "pending_review", "needs_revision", "completed", "on_hold"];
        var pruned = await (await _admin.PatchJson($"/api/v1/projects/{project}", new { taskStatuses = statuses })).Expect(HttpStatusCode.OK);
        // PostgreSQL's jsonb keeps a map's keys in its own order.
        Assert.Equal([("comp", "in_progress"), ("fx", "on_hold")], pruned.GetProperty("taskTypeStatuses").EnumerateObject()
            .SelectMany(e => e.Value.EnumerateArray().Select(s => (e.Name, s.GetString()!))).Order());

        pruned = await (await _admin.PatchJson($"/api/v1/projects/{project}", new { taskStatuses = statuses.Except(["in_progress"]).ToArray() })).Expect(HttpStatusCode.OK);
        Assert.Equal("""{"fx":["on_hold"]}""", pruned.GetProperty("taskTypeStatuses").GetRawText());

        pruned = await (await _admin.PatchJson($"/api/v1/projects/{project}", new { taskTypes = (string[])["lighting", "comp"] })).Expect(HttpStatusCode.OK);
        Assert.Equal("{}", pruned.GetProperty("taskTypeStatuses").GetRawText());
        Assert.Equal("{}", (await (await _admin.GetAsync($"/api/v1/projects/{project}")).Expect(HttpStatusCode.OK)).GetProperty("taskTypeStatuses").GetRawText());
    }
}
