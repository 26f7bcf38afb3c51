using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;

namespace Montu.Server.Tests.Features.Tasks;

public sealed class TaskReadModelTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Totals_follow_every_change_to_the_filtered_tasks()
    {
        var projectId = await _client.CreateProject();
        var query = $"project_id={projectId}&status=in_progress";
        await _client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_a", ("status", "in_progress")));
        Assert.Equal(1, (await _client.ListTasks(query)).GetProperty("total").GetInt64());

        await _client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_b", ("status", "in_progress")));
        Assert.Equal(2, (await _client.ListTasks(query)).GetProperty("total").GetInt64());

        await (await _client.PatchJson($"/api/v1/tasks/{projectId}_a", new { status = "completed" })).Expect(HttpStatusCode.OK);
        Assert.Equal(1, (await _client.ListTasks(query)).GetProperty("total").GetInt64());

        await (await _client.PostJson("/api/v1/tasks/bulk", new { taskIds = new[] { $"{projectId}_a" }, operation = "update_status", data = new { status = "in_progress" } }))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(2, (await _client.ListTasks(query)).GetProperty("total").GetInt64());

        await (await _client.DeleteAsync($"/api/v1/tasks/{projectId}_b")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, (await _client.ListTasks(query)).GetProperty("total").GetInt64());
        Assert.Equal(1, (await _client.ListTasks("status=in_progress&search=" + projectId)).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task The_same_list_query_answers_each_caller_with_their_own_projects_and_sees_new_tasks()
    {
        var shared = await _client.CreateProject();
        var hidden = await _client.CreateProject();
        var viewer = await app.CreateUser(shared, "viewer");
        var marker = Builders.NewProjectId("MARK").ToLowerInvariant();
        await _client.CreateTask(TaskBuilders.NamedTask(shared, $"{shared}_{marker}"));
        await _client.CreateTask(TaskBuilders.NamedTask(hidden, $"{hidden}_{marker}"));

        var asAdmin = await _client.ListTasks($"search={marker}");
        var asViewer = await viewer.Client.ListTasks($"search={marker}");
        var again = await _client.ListTasks($"search={marker}");
        await _client.CreateTask(TaskBuilders.NamedTask(hidden, $"{hidden}_{marker}_new"));
        var afterCreate = await _client.ListTasks($"search={marker}");

        Assert.Equal(2, asAdmin.GetProperty("total").GetInt64());
        Assert.Equal(1, asViewer.GetProperty("total").GetInt64());
        Assert.Equal(asAdmin.GetRawText(), again.GetRawText());
        Assert.Equal(3, afterCreate.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Many_concurrent_list_requests_that_each_need_a_count_all_answer()
    {
        var projectId = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_busy"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            _client.GetAsync($"/api/v1/tasks?project_id={projectId}&search=busy&page_size={1 + (i % 40)}")));

        foreach (var response in responses)
        {
            Assert.Equal(1, (await response.Expect(HttpStatusCode.OK)).GetProperty("total").GetInt64());
        }
    }

    [Fact]
    public async Task Requests_missing_the_same_page_together_share_one_computation_of_it()
    {
        var projectId = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_only"));
        Task<HttpResponseMessage[]> requests;
        await using (var connection = await app.Db.OpenAsync(CancellationToken.None))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            if (app.Db.Dialect.Engine == DbEngine.Postgres)
            {
                // The page's query waits behind this lock, so every request arrives while the page is
                // computed. SQLite cannot hold readers back: there the requests may come one by one.
                await connection.ExecuteAsync("LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE", transaction: transaction);
            }

            requests = Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _client.GetAsync($"/api/v1/tasks?project_id={projectId}")));
            await Task.Delay(300);
            await transaction.CommitAsync();
        }

        var bodies = new List<string>();
        foreach (var response in await requests)
        {
            bodies.Add((await response.Expect(HttpStatusCode.OK)).GetRawText());
        }

        Assert.Single(bodies.Distinct());
        Assert.Contains($"\"{projectId}_only\"", bodies[0], StringComparison.Ordinal);
        Assert.Single(app.Logs.Lines, l => l.Text.StartsWith("List page computed", StringComparison.Ordinal) && l.Text.Contains(projectId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reads_send_the_stored_document_of_the_latest_write()
    {
        var projectId = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_doc", ("customFields", new Dictionary<string, object> { ["Odd Key"] = "kept" })))).Str("id");

        var patched = await (await _client.PatchJson($"/api/v1/tasks/{id}", new { artist = "ana", frameRange = new { start = 1001, end = 1100 } }))
            .Expect(HttpStatusCode.OK);
        var read = await _client.GetTask(id);
        var listed = (await _client.ListTasks($"project_id={projectId}")).GetProperty("items")[0];

        Assert.Equal(patched.GetRawText(), read.GetRawText());
        Assert.Equal(patched.GetRawText(), listed.GetRawText());
        Assert.Equal("kept", read.GetProperty("customFields").Str("Odd Key"));
    }

    [Fact]
    public async Task Tasks_without_a_document_get_one_at_start_up()
    {
        var projectId = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_old", ("artist", "bo")))).Str("id");
        var before = await _client.GetTask(id);
        await using (var connection = await app.Db.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE tasks SET doc = NULL WHERE id = @id", new { id });
        }

        var written = await app.Services.GetRequiredService<TaskQueries>().FillMissingDocumentsAsync(CancellationToken.None);

        Assert.Equal(1, written);
        Assert.Equal(before.GetRawText(), await StoredDocumentAsync(id));
    }

    [Fact]
    public async Task Documents_are_filled_batch_after_batch()
    {
        var projectId = await _client.CreateProject();
        var ids = new List<string>();
        foreach (var chunk in Enumerable.Range(0, 1001).Chunk(50))
        {
            var created = await Task.WhenAll(chunk.Select(i => _client.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_{i:D4}"))));
            ids.AddRange(created.Select(t => t.Str("id")));
        }

        var first = await _client.GetTask(ids.Min(StringComparer.Ordinal)!);
        var last = await _client.GetTask(ids.Max(StringComparer.Ordinal)!);
        await using (var connection = await app.Db.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE tasks SET doc = NULL WHERE project_id = @projectId", new { projectId });
        }

        var written = await app.Services.GetRequiredService<TaskQueries>().FillMissingDocumentsAsync(CancellationToken.None);

        Assert.Equal(1001, written);
        Assert.Equal(first.GetRawText(), await StoredDocumentAsync(first.Str("id")));
        Assert.Equal(last.GetRawText(), await StoredDocumentAsync(last.Str("id")));
    }

    /// <summary>
    /// The document as stored: <c>GET /tasks/{id}</c> may answer from its cache, which a change
    /// made behind the server's back (as these tests make) does not reach.
    /// </summary>
    private async Task<string?> StoredDocumentAsync(string id)
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<string?>("SELECT doc FROM tasks WHERE id = @id", new { id });
    }
}
