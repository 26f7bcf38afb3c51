using System.Net;
using System.Text.Json;
using Dapper;

namespace Montu.Server.Tests.Features.Tasks;

public sealed class TaskEventTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private sealed record EventRow(string Type, string EntityType, string EntityId, string Payload);

    private async Task<List<EventRow>> Events(string project)
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<EventRow>(
            "SELECT type AS Type, entity_type AS EntityType, entity_id AS EntityId, CAST(payload AS TEXT) AS Payload FROM events WHERE project_id = @project AND type LIKE '%task%' ORDER BY seq",
            new { project });
        return rows.ToList();
    }

    private async Task<long> EventCount()
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events");
    }

    [Fact]
    public async Task Every_task_mutation_writes_exactly_one_event_and_a_no_op_writes_none()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_ev"))).Str("id");

        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "ana", status = "in_progress" })).Expect(HttpStatusCode.OK);
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "ana" })).Expect(HttpStatusCode.OK);
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { status = "bogus" })).Expect(HttpStatusCode.BadRequest);
        await (await _client.DeleteAsync($"/api/v1/tasks/{id}")).Expect(HttpStatusCode.OK);
        await (await _client.DeleteAsync($"/api/v1/tasks/{id}")).Expect(HttpStatusCode.OK);
        await (await _client.PostAsync($"/api/v1/tasks/{id}/restore", null)).Expect(HttpStatusCode.OK);
        await (await _client.PostJson($"/api/v1/tasks/{id}/add-field", new { note = "x" })).Expect(HttpStatusCode.OK);

        var events = await Events(project);
        Assert.Equal(["task_created", "task_updated", "task_archived", "task_restored", "task_updated"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(("task", id), (e.EntityType, e.EntityId)));
        Assert.Equal(id, JsonDocument.Parse(events[0].Payload).RootElement.GetProperty("task").Str("id"));
        var update = JsonDocument.Parse(events[1].Payload).RootElement;
        Assert.Equal(id, update.Str("taskId"));
        Assert.Equal(["artist", "status"], update.GetProperty("changes").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("x", JsonDocument.Parse(events[4].Payload).RootElement.GetProperty("changes").GetProperty("customFields").Str("note"));
    }

    [Fact]
    public async Task Concurrent_edits_with_refused_ones_among_them_each_get_their_own_answer_and_one_event_per_change()
    {
        var project = await _client.CreateProject();
        var ids = await _client.CreateTasks(Enumerable.Range(1, 30).Select(i => TaskBuilders.NamedTask(project, $"{project}_c{i:00}")));
        var before = (await Events(project)).Count;

        // Every third edit names a status the project does not have. On SQLite the edits queue
        // together and share transactions (decision 0011); each must still be answered on its own.
        var responses = await Task.WhenAll(ids.Select((id, i) =>
            _client.PatchJson($"/api/v1/tasks/{id}", new { status = i % 3 == 0 ? "bogus" : "in_progress", artist = $"artist{i:00}" })));

        for (var i = 0; i < ids.Count; i++)
        {
            if (i % 3 == 0)
            {
                Assert.Equal(["status"], (await responses[i].ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields());
                Assert.Equal("not_started", (await _client.GetTask(ids[i])).Str("status"));
                continue;
            }

            var task = await responses[i].Expect(HttpStatusCode.OK);
            Assert.Equal((ids[i], "in_progress", $"artist{i:00}"), (task.Str("id"), task.Str("status"), task.Str("artist")));
            Assert.Equal(task.GetRawText(), (await _client.GetTask(ids[i])).GetRawText());
        }

        var updates = (await Events(project)).Skip(before).ToList();
        Assert.All(updates, e => Assert.Equal("task_updated", e.Type));
        Assert.Equal(ids.Where((_, i) => i % 3 != 0).Order(StringComparer.Ordinal), updates.Select(e => e.EntityId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_bulk_request_writes_one_event_listing_only_the_tasks_that_changed()
    {
        var project = await _client.CreateProject();
        var ids = await _client.CreateTasks(Enumerable.Range(1, 4).Select(i => TaskBuilders.NamedTask(project, $"{project}_{i}")));
        await (await _client.PatchJson($"/api/v1/tasks/{ids[2]}", new { status = "in_progress" })).Expect(HttpStatusCode.OK);
        var before = (await Events(project)).Count;

        await (await _client.PatchJson("/api/v1/tasks/bulk-update", new object[]
        {
            new { taskId = ids[0], updates = new { status = "in_progress" } },
            new { taskId = ids[1], updates = new { status = "bogus" } },
            new { taskId = ids[2], updates = new { status = "in_progress" } },
            new { taskId = ids[3], updates = new { status = "in_progress", artist = "ana" } },
        })).Expect(HttpStatusCode.OK);
        await (await _client.PostJson("/api/v1/tasks/bulk", new { taskIds = new[] { ids[1] }, operation = "update", data = new { } })).Expect(HttpStatusCode.OK);

        var bulk = Assert.Single((await Events(project)).Skip(before));
        Assert.Equal(("tasks_bulk_updated", "tasks", project), (bulk.Type, bulk.EntityType, bulk.EntityId));
        var payload = JsonDocument.Parse(bulk.Payload).RootElement;
        Assert.Equal([ids[0], ids[3]], payload.GetProperty("taskIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("bulk_update", payload.Str("operation"));
        Assert.Equal(["artist", "status"], payload.GetProperty("changes").GetProperty(ids[3]).EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task A_failed_write_leaves_neither_the_change_nor_an_event()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_boom", ("artist", "before")))).Str("id");
        await BreakEventInsertsFor(id);
        var count = await EventCount();

        var response = await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "after", status = "approved" });
        var error = await response.ExpectError(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("boom", error.Str("message"), StringComparison.Ordinal);
        var task = await _client.GetTask(id);
        Assert.Equal(("before", "not_started"), (task.Str("artist"), task.Str("status")));
        Assert.Equal(count, await EventCount());
    }

    private async Task BreakEventInsertsFor(string entityId)
    {
        var name = "abort_" + entityId.ToLowerInvariant();
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        if (TestApp.OnPostgres)
        {
            await connection.ExecuteAsync($"""
                CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.entity_id = '{entityId}' THEN RAISE EXCEPTION 'boom'; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER {name} BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION {name}();
                """);
        }
        else
        {
            await connection.ExecuteAsync($"""
                CREATE TRIGGER {name} BEFORE INSERT ON events WHEN NEW.entity_id = '{entityId}'
                BEGIN SELECT RAISE(ABORT, 'boom'); END
                """);
        }
    }
}
