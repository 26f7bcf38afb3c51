using System.Net;
using System.Text.Json;
using Dapper;

namespace Montu.Server.Tests.Features.Tasks;

/// <summary>Montu-Merge: fields, for offline clients replaying an edit made on an older copy of a task.</summary>
public sealed class TaskMergeTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private async Task<string> NewTask(params (string Key, object? Value)[] fields)
    {
        var project = await _client.CreateProject();
        return (await _client.CreateTask(TaskBuilders.NamedTask(project, $"merge_{project}", fields))).Str("id");
    }

    private Task<HttpResponseMessage> Merge(string task, int baseRevision, object body) =>
        _client.SendWith(HttpMethod.Patch, $"/api/v1/tasks/{task}", body, ("If-Match", $"\"{baseRevision}\""), ("Montu-Merge", "fields"));

    [Fact]
    public async Task A_merge_applies_the_fields_nobody_else_changed_since_the_base()
    {
        var id = await NewTask(("artist", "ana"));
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "bob", customFields = new { note = "server" } })).Expect(HttpStatusCode.OK);

        var merged = await Merge(id, 1, new { status = "in_progress", customFields = new { bid = 3 } });

        var task = await merged.Expect(HttpStatusCode.OK);
        Assert.Equal(("in_progress", "bob", 3, "\"3\""), (task.Str("status"), task.Str("artist"), task.GetProperty("revision").GetInt32(), merged.ETag()));
        Assert.Equal("""{"note":"server","bid":3}""", task.GetProperty("customFields").GetRawText());
    }

    [Fact]
    public async Task A_merge_conflict_returns_409_listing_base_server_and_client_values_and_applies_nothing()
    {
        var id = await NewTask(("artist", "ana"), ("customFields", new { note = "first" }));
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "bob", priority = "high", customFields = new { note = "server" } })).Expect(HttpStatusCode.OK);
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { priority = "urgent" })).Expect(HttpStatusCode.OK);

        var error = await (await Merge(id, 1, new { artist = "carl", priority = "low", status = "in_progress", customFields = new { note = "client" } }))
            .ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        var expected = """
            [{"field":"artist","message":"Changed by another writer since revision 1","code":"MERGE_CONFLICT","base":"ana","server":"bob","client":"carl"},
             {"field":"priority","message":"Changed by another writer since revision 1","code":"MERGE_CONFLICT","base":"medium","server":"urgent","client":"low"},
             {"field":"customFields.note","message":"Changed by another writer since revision 1","code":"MERGE_CONFLICT","base":"first","server":"server","client":"client"}]
            """;
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, error.GetProperty("details")), error.GetProperty("details").GetRawText());
        var task = await _client.GetTask(id);
        Assert.Equal(("not_started", 3), (task.Str("status"), task.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task A_field_the_merge_sets_to_the_value_another_writer_gave_it_is_no_conflict()
    {
        var id = await NewTask();
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { status = "in_progress", description = "server" })).Expect(HttpStatusCode.OK);

        var merged = await Merge(id, 1, new { status = "in_progress", artist = "ana" });

        var task = await merged.Expect(HttpStatusCode.OK);
        Assert.Equal(("in_progress", "ana", "server", 3), (task.Str("status"), task.Str("artist"), task.Str("description"), task.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task A_field_changed_and_changed_back_since_the_base_is_no_conflict()
    {
        var id = await NewTask(("artist", "ana"));
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "bob" })).Expect(HttpStatusCode.OK);
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "ana" })).Expect(HttpStatusCode.OK);

        var merged = await Merge(id, 1, new { artist = "carl" });

        Assert.Equal("carl", (await merged.Expect(HttpStatusCode.OK)).Str("artist"));
    }

    [Fact]
    public async Task A_bulk_change_since_the_base_conflicts_like_a_single_one()
    {
        var id = await NewTask();
        await (await _client.PostJson("/api/v1/tasks/bulk", new { taskIds = new[] { id }, operation = "update_status", data = new { status = "on_hold" } })).Expect(HttpStatusCode.OK);

        var error = await (await Merge(id, 1, new { status = "in_progress" })).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        var detail = error.GetProperty("details")[0];
        Assert.Equal(("status", "not_started", "on_hold", "in_progress"), (detail.Str("field"), detail.Str("base"), detail.Str("server"), detail.Str("client")));
    }

    [Fact]
    public async Task A_merge_at_the_current_revision_is_a_plain_patch()
    {
        var id = await NewTask();

        var merged = await Merge(id, 1, new { artist = "ana" });

        Assert.Equal(("ana", 2), ((await merged.Expect(HttpStatusCode.OK)).Str("artist"), (await merged.Json()).GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task A_merge_from_a_revision_the_task_never_had_returns_412()
    {
        var id = await NewTask();

        var error = await (await Merge(id, 7, new { artist = "ana" })).ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");

        Assert.Equal(1, error.GetProperty("details")[0].GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_merge_whose_events_are_no_longer_kept_returns_412()
    {
        var id = await NewTask();
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "bob" })).Expect(HttpStatusCode.OK);
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "carl" })).Expect(HttpStatusCode.OK);
        await using (var connection = await app.Db.OpenAsync(CancellationToken.None))
        {
            // As pruning would: the oldest change since the base is gone.
            await connection.ExecuteAsync(
                "DELETE FROM events WHERE seq = (SELECT MIN(seq) FROM events WHERE entity_id = @id AND type = 'task_updated')", new { id });
        }

        var error = await (await Merge(id, 1, new { status = "in_progress" })).ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");

        Assert.Equal(3, error.GetProperty("details")[0].GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_merge_without_one_base_revision_or_with_another_mode_returns_400()
    {
        var id = await NewTask();

        var noBase = await _client.SendWith(HttpMethod.Patch, $"/api/v1/tasks/{id}", new { artist = "ana" }, ("Montu-Merge", "fields"));
        var star = await _client.SendWith(HttpMethod.Patch, $"/api/v1/tasks/{id}", new { artist = "ana" }, ("Montu-Merge", "fields"), ("If-Match", "*"));
        var mode = await _client.SendWith(HttpMethod.Patch, $"/api/v1/tasks/{id}", new { artist = "ana" }, ("Montu-Merge", "everything"), ("If-Match", "\"1\""));

        Assert.Equal(["If-Match"], (await noBase.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields());
        Assert.Equal(["If-Match"], (await star.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields());
        Assert.Equal(["Montu-Merge"], (await mode.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields());
        Assert.Equal(1, (await _client.GetTask(id)).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task Task_events_record_the_revision_they_made_and_the_previous_values()
    {
        var id = await NewTask(("artist", "ana"));
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "bob" })).Expect(HttpStatusCode.OK);

        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var payload = JsonDocument.Parse(await connection.ExecuteScalarAsync<string>(
            "SELECT CAST(payload AS TEXT) FROM events WHERE entity_id = @id AND type = 'task_updated'", new { id }) ?? "").RootElement;
        Assert.Equal(("bob", "ana", 2), (payload.GetProperty("changes").Str("artist"), payload.GetProperty("previous").Str("artist"), payload.GetProperty("revision").GetInt32()));
    }
}
