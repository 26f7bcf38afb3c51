using System.Net;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Montu.Server.Tests.Data;

/// <summary>
/// Several server processes on one PostgreSQL database: what one commits reaches the lists and
/// statistics the others keep cached (docs/decisions/0009).
/// </summary>
public sealed class SharedDatabaseTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [PostgresFact]
    public async Task A_change_made_through_another_instance_reaches_this_instances_lists_totals_and_stats()
    {
        await using var other = app.SecondInstance();
        await other.InitializeAsync();
        await WaitForEventListener(app, "listening");
        await WaitForEventListener(other, "listening");
        var projectId = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_moving"))).Str("id");
        var query = $"project_id={projectId}&status=in_progress";
        Assert.Equal(0, (await _client.ListTasks(query)).GetProperty("total").GetInt64());
        Assert.Equal(1, (await Stats(_client, projectId)).GetProperty("tasksByStatus").GetProperty("not_started").GetInt64());
        Assert.Equal("not_started", (await _client.GetTask(id)).Str("status"));

        await (await other.Client.PatchJson($"/api/v1/tasks/{id}", new { status = "in_progress" })).Expect(HttpStatusCode.OK);

        var list = await Poll.Eventually(() => _client.ListTasks(query), page => page.GetProperty("total").GetInt64() == 1);
        Assert.Equal("in_progress", list.GetProperty("items")[0].Str("status"));
        var task = await Poll.Eventually(() => _client.GetTask(id), t => t.Str("status") == "in_progress");
        Assert.Equal("in_progress", task.Str("status"));
        var stats = await Poll.Eventually(() => Stats(_client, projectId), s => s.GetProperty("tasksByStatus").TryGetProperty("in_progress", out _));
        Assert.Equal(1, stats.GetProperty("tasksByStatus").GetProperty("in_progress").GetInt64());
        Assert.False(stats.GetProperty("tasksByStatus").TryGetProperty("not_started", out _));
    }

    [PostgresFact]
    public async Task While_the_listener_is_lost_lists_read_the_database_and_it_comes_back_on_its_own()
    {
        await WaitForEventListener(app, "listening");
        var projectId = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_unheard"))).Str("id");
        var query = $"project_id={projectId}&status=approved";
        Assert.Equal(0, (await _client.ListTasks(query)).GetProperty("total").GetInt64());

        await using (var connection = await app.Db.OpenAsync(CancellationToken.None))
        {
            var ended = await connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM (
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = 'montu-event-listener') terminated
                """);
            Assert.True(ended >= 1, "no listener connection to end");
        }

        await WaitForEventListener(app, "reconnecting");
        await ChangeBehindTheServersBack(id, "approved", announce: false);
        var page = await _client.ListTasks(query);
        Assert.Equal(1, page.GetProperty("total").GetInt64());
        Assert.Equal("approved", page.GetProperty("items")[0].Str("status"));

        await WaitForEventListener(app, "listening");
        await ChangeBehindTheServersBack(id, "completed", announce: true);
        var after = await Poll.Eventually(() => _client.ListTasks(query), p => p.GetProperty("total").GetInt64() == 0);
        Assert.Empty(after.GetProperty("items").EnumerateArray());
    }

    [PostgresFact]
    public async Task A_user_disabled_or_removed_through_another_instance_is_refused_here_at_once()
    {
        await using var other = app.SecondInstance();
        await other.InitializeAsync();
        await WaitForEventListener(app, "listening");
        var projectId = await _client.CreateProject();
        var removed = await app.CreateUser(projectId, "artist");
        var disabled = await app.CreateUser(projectId, "artist");
        var project = $"/api/v1/projects/{projectId}";
        await (await removed.Client.GetAsync(project)).Expect(HttpStatusCode.OK);
        await (await disabled.Client.GetAsync(project)).Expect(HttpStatusCode.OK);

        await (await other.Client.DeleteAsync($"{project}/users/{removed.Id}")).Expect(HttpStatusCode.NoContent);
        await (await other.Client.DeleteAsync($"/api/v1/users/{disabled.Id}")).Expect(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NotFound, await EventualStatus(removed.Client, project, HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.Unauthorized, await EventualStatus(disabled.Client, project, HttpStatusCode.Unauthorized));
    }

    /// <summary>What another instance's change looks like in the database: the row, its event, and (when announced) the NOTIFY.</summary>
    private async Task ChangeBehindTheServersBack(string id, string status, bool announce)
    {
        await using var connection = (NpgsqlConnection)await app.Db.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        var projectId = await connection.ExecuteScalarAsync<string>(
            "UPDATE tasks SET status = @status, doc = jsonb_set(doc::jsonb, '{status}', to_jsonb(@status::text))::text WHERE id = @id RETURNING project_id",
            new { id, status }, transaction);
        var seq = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO events (type, project_id, entity_type, entity_id, payload, created_at)
            VALUES ('task_updated', @projectId, 'task', @id, '{}', now()) RETURNING seq
            """, new { projectId, id }, transaction);
        if (announce)
        {
            var payload = JsonSerializer.Serialize(new { seq, projectId, type = "task_updated", entityType = "task", entityId = id });
            await connection.ExecuteAsync("SELECT pg_notify('montu_events', @payload)", new { payload }, transaction);
        }

        await transaction.CommitAsync();
    }

    private static async Task<JsonElement> Stats(HttpClient client, string projectId) =>
        await (await client.GetAsync($"/api/v1/projects/{projectId}/stats")).Expect(HttpStatusCode.OK);

    private static async Task WaitForEventListener(TestApp server, string state)
    {
        var health = await Poll.Eventually(
            async () => await (await server.Anonymous().GetAsync("/health")).Expect(HttpStatusCode.OK),
            health => health.GetProperty("database").Str("eventListener") == state);
        Assert.Equal(state, health.GetProperty("database").Str("eventListener"));
    }

    /// <summary>The status <paramref name="url"/> answers once it is <paramref name="expected"/>, or after ten seconds (well under the 30 s user cache).</summary>
    private static async Task<HttpStatusCode> EventualStatus(HttpClient client, string url, HttpStatusCode expected) =>
        await Poll.Eventually(async () => (await client.GetAsync(url)).StatusCode, status => status == expected);
}
