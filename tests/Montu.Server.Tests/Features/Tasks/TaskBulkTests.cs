using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Tasks;

public sealed class TaskBulkTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private async Task<List<string>> Seed(int count)
    {
        var project = await _client.CreateProject();
        return await _client.CreateTasks(Enumerable.Range(1, count).Select(i => TaskBuilders.NamedTask(project, $"{project}_{i}")));
    }

    private static void AssertResult(JsonElement result, int successful, int failed, IEnumerable<string> updated)
    {
        Assert.Equal(successful, result.GetProperty("successful").GetInt32());
        Assert.Equal(failed, result.GetProperty("failed").GetInt32());
        Assert.Equal(failed, result.GetProperty("errors").GetArrayLength());
        Assert.Equal(updated, result.GetProperty("updatedTasks").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Bulk_update_applies_valid_items_and_reports_each_failure()
    {
        var ids = await Seed(3);

        var result = await (await _client.PatchJson("/api/v1/tasks/bulk-update", new object[]
        {
            new { taskId = ids[0], updates = new Dictionary<string, object?> { ["status"] = "in_progress", ["artist"] = "john_doe", ["vendor"] = "v" } },
            new { task_id = ids[1], updates = new { status = "bogus" } },
            new { taskId = "no_such_task", updates = new { status = "approved" } },
            new { taskId = ids[2], updates = new { priority = "high", milestone = "final_render" } },
        })).Expect(HttpStatusCode.OK);

        AssertResult(result, 2, 2, [ids[0], ids[2]]);
        var errors = result.GetProperty("errors");
        Assert.Equal(ids[1], errors[0].Str("taskId"));
        Assert.Equal("status", errors[0].GetProperty("details")[0].Str("field"));
        Assert.Equal(("no_such_task", "Task not found", "NOT_FOUND"), (errors[1].Str("taskId"), errors[1].Str("error"), errors[1].Str("code")));
        var first = await _client.GetTask(ids[0]);
        Assert.Equal(("in_progress", "john_doe", "v"), (first.Str("status"), first.Str("artist"), first.GetProperty("customFields").Str("vendor")));
        Assert.Equal("not_started", (await _client.GetTask(ids[1])).Str("status"));
        var third = await _client.GetTask(ids[2]);
        Assert.Equal(("high", "final_render"), (third.Str("priority"), third.Str("milestone")));
    }

    [Fact]
    public async Task Bulk_update_items_are_validated_like_a_single_patch()
    {
        var ids = await Seed(3);

        var result = await (await _client.PatchJson("/api/v1/tasks/bulk-update", new object[]
        {
            new { taskId = ids[0], updates = new { projectId = "OTHER" } },
            new { taskId = ids[1], updates = new { frameRange = new { start = 10, end = 1 } } },
            new { taskId = ids[2], updates = "status=approved" },
        })).Expect(HttpStatusCode.OK);

        AssertResult(result, 0, 3, []);
        var details = result.GetProperty("errors").EnumerateArray().Select(e => (e.Str("taskId"), e.GetProperty("details")[0].Str("field"), e.GetProperty("details")[0].Str("code")));
        Assert.Equal([(ids[0], "projectId", "READ_ONLY_FIELD"), (ids[1], "frameRange", "OUT_OF_RANGE"), (ids[2], "updates", "INVALID_TYPE")], details);
    }

    [Fact]
    public async Task Bulk_update_item_without_a_task_id_fails_the_request()
    {
        var error = await (await _client.PatchJson("/api/v1/tasks/bulk-update", new object[] { new { updates = new { status = "approved" } } }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["[0].taskId"], error.Fields());
    }

    [Fact]
    public async Task Bulk_operation_update_status_uses_the_v2_0_request_and_answer()
    {
        var ids = await Seed(2);

        var result = await (await _client.PostJson("/api/v1/tasks/bulk", new Dictionary<string, object?>
        {
            ["task_ids"] = new[] { ids[0], "missing_task", ids[1] },
            ["operation"] = "update_status",
            ["data"] = new { status = "in_progress", artist = "new_artist" },
        })).Expect(HttpStatusCode.OK);

        AssertResult(result, 2, 1, ids);
        Assert.Equal(("missing_task", "Task not found"), (result.GetProperty("errors")[0].Str("taskId"), result.GetProperty("errors")[0].Str("error")));
        foreach (var id in ids)
        {
            var task = await _client.GetTask(id);
            Assert.Equal(("in_progress", "new_artist"), (task.Str("status"), task.Str("artist")));
        }
    }

    [Fact]
    public async Task Bulk_operation_reports_tasks_failing_their_own_projects_rules()
    {
        var ids = await Seed(1);
        var other = Builders.NewProjectId();
        var project = Builders.Project(other);
        project["taskStatuses"] = new[] { "todo", "done" };
        await (await _client.PostJson("/api/v1/projects", project)).Expect(HttpStatusCode.Created);
        var foreign = (await _client.CreateTask(TaskBuilders.NamedTask(other, $"{other}_1"))).Str("id");

        var result = await (await _client.PostJson("/api/v1/tasks/bulk", new { taskIds = new[] { ids[0], foreign }, operation = "update_status", data = new { status = "approved" } }))
            .Expect(HttpStatusCode.OK);

        AssertResult(result, 1, 1, [ids[0]]);
        Assert.Equal(foreign, result.GetProperty("errors")[0].Str("taskId"));
        Assert.Equal("todo", (await _client.GetTask(foreign)).Str("status"));
    }

    [Fact]
    public async Task Bulk_operation_assign_and_archive()
    {
        var ids = await Seed(3);

        var assigned = await (await _client.PostJson("/api/v1/tasks/bulk", new { taskIds = ids, operation = "assign", data = new { artist = "ana" } })).Expect(HttpStatusCode.OK);
        var archived = await (await _client.PostJson("/api/v1/tasks/bulk", new { taskIds = ids[..2], operation = "archive" })).Expect(HttpStatusCode.OK);

        AssertResult(assigned, 3, 0, ids);
        AssertResult(archived, 2, 0, ids[..2]);
        Assert.Equal(["ana", "ana", "ana"], await Task.WhenAll(ids.Select(async id => (await _client.GetTask(id)).Str("artist"))));
        Assert.Equal(["archived", "archived", "not_started"], await Task.WhenAll(ids.Select(async id => (await _client.GetTask(id)).Str("status"))));
    }

    [Theory]
    [InlineData("""{"taskIds": ["a"], "operation": "explode", "data": {}}""", "operation")]
    [InlineData("""{"taskIds": ["a"], "data": {}}""", "operation")]
    [InlineData("""{"operation": "update", "data": {}}""", "taskIds")]
    [InlineData("""{"taskIds": ["a", null], "operation": "archive"}""", "taskIds[1]")]
    [InlineData("""{"taskIds": ["a"], "operation": "update_status", "data": {"artist": "x"}}""", "data.status")]
    [InlineData("""{"taskIds": ["a"], "operation": "assign", "data": {}}""", "data.artist")]
    [InlineData("""{"taskIds": ["a"], "operation": "update", "data": {"id": "b"}}""", "data.id")]
    [InlineData("""{"taskIds": ["a"], "operation": "update", "data": [1]}""", "data")]
    [InlineData("""{"taskIds": ["a"], "operation": "update", "colour": "red"}""", "colour")]
    public async Task A_malformed_bulk_operation_is_400_naming_the_field(string body, string field)
    {
        var error = await (await _client.PostRaw("/api/v1/tasks/bulk", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal([field], error.Fields());
    }

    [Fact]
    public async Task More_than_1000_items_is_400()
    {
        var ids = Enumerable.Range(0, 1001).Select(i => $"t{i}").ToArray();

        var operation = await (await _client.PostJson("/api/v1/tasks/bulk", new { taskIds = ids, operation = "archive" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var update = await (await _client.PatchJson("/api/v1/tasks/bulk-update", ids.Select(id => new { taskId = id, updates = new { } }).ToArray()))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["taskIds"], operation.Fields());
        Assert.Equal(["body"], update.Fields());
    }

    [Fact]
    public async Task Items_for_the_same_task_apply_in_order()
    {
        var ids = await Seed(1);

        var result = await (await _client.PatchJson("/api/v1/tasks/bulk-update", new object[]
        {
            new { taskId = ids[0], updates = new { artist = "first", description = "kept" } },
            new { taskId = ids[0], updates = new { artist = "second" } },
        })).Expect(HttpStatusCode.OK);

        AssertResult(result, 2, 0, [ids[0]]);
        var task = await _client.GetTask(ids[0]);
        Assert.Equal(("second", "kept"), (task.Str("artist"), task.Str("description")));
    }
}
