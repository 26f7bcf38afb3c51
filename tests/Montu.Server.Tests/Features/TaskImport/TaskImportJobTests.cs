using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Montu.Server.Tests.Features.TaskImport;

public sealed class TaskImportJobTests(TaskImportJobTests.ImportJobApp app) : IClassFixture<TaskImportJobTests.ImportJobApp>
{
    /// <summary>
    /// Imports write 5 rows per batch. Workers look for jobs only when a job is enqueued on their own
    /// instance (or at start), so a second instance's job stays its own; on stop, a running import
    /// gets 0.3 s before it is handed back to the queue.
    /// </summary>
    public sealed class ImportJobApp : TestApp
    {
        public ImportJobApp()
        {
            Settings["Imports:BatchSize"] = "5";
            Settings["Jobs:PollSeconds"] = "86400";
        }

        protected override void ConfigureServices(IServiceCollection services) =>
            services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300));
    }

    private readonly HttpClient _client = app.Client;

    private static string Rows(string project, int count, int bad = -1) =>
        "id,episode,sequence,shot,task\n"
        + string.Join("\n", Enumerable.Range(1, count).Select(i => $"{project}_{i:00000},ep01,sq010,sh{i:0000},{(i == bad ? "cooking" : "animation")}")) + "\n";

    private static async Task<string> StartAsync(HttpClient client, string project, string csv, params (string, string)[] fields)
    {
        var accepted = await (await client.PostAsync("/api/v1/tasks/import-csv-async", ImportBuilders.Form(project, ImportBuilders.Utf8(csv), fields)))
            .Expect(HttpStatusCode.Accepted);
        var jobId = accepted.Str("jobId");
        Assert.StartsWith("job_", jobId);
        return jobId;
    }

    private static async Task<JsonElement> StatusAsync(HttpClient client, string jobId) =>
        await (await client.GetAsync($"/api/v1/tasks/import-status/{jobId}")).Expect(HttpStatusCode.OK);

    /// <summary>The import's status once <paramref name="done"/> holds, or as it is after 30 seconds.</summary>
    private static async Task<JsonElement> WaitForAsync(HttpClient client, string jobId, Func<JsonElement, bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var status = await StatusAsync(client, jobId);
            if (done(status) || waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                return status;
            }

            await Task.Delay(20);
        }
    }

    private HttpClient ClientOf(WebApplicationFactory<Program> instance)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Authorization = _client.DefaultRequestHeaders.Authorization;
        return client;
    }

    /// <summary>Where the local store keeps the import's uploaded file.</summary>
    private async Task<string> StoredFileAsync(string jobId)
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var key = await connection.ExecuteScalarAsync<string>("SELECT file_key FROM task_imports WHERE job_id = @jobId", new { jobId });
        return Path.Combine(app.DataDir, "media", key!);
    }

    [Fact]
    public async Task A_background_import_runs_to_completion_with_its_report_and_progress_events()
    {
        var project = await _client.CreateProject();

        var jobId = await StartAsync(_client, project, Rows(project, 23, bad: 12));
        var status = await WaitForAsync(_client, jobId, s => s.Str("status") == "completed");

        Assert.Equal("completed", status.Str("status"));
        Assert.Equal((100.0, 23, 23, 22, 1), (status.GetProperty("progressPercent").GetDouble(), status.GetProperty("totalRows").GetInt32(),
            status.GetProperty("processedRows").GetInt32(), status.GetProperty("createdTasks").GetInt32(), status.GetProperty("invalidTasks").GetInt32()));
        var results = status.GetProperty("results");
        Assert.Equal((23, 22, 1, 22, 0, 0), results.Counts());
        Assert.Equal([(13, "task", "task", "INVALID_VALUE")], results.Errors());
        Assert.Equal(10, results.GetProperty("preview").GetArrayLength());
        Assert.Equal(22, (await app.TaskIds(project)).Count);
        var progress = await app.Events(project, "import_progress");
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.Equal(jobId, p.Str("jobId")));
        Assert.Equal(("completed", 23, 22), (progress[^1].Str("status"), progress[^1].GetProperty("processedRows").GetInt32(), progress[^1].GetProperty("createdTasks").GetInt32()));
        Assert.Equal(5, (await app.Events(project, "tasks_imported")).Count);
        Assert.False(File.Exists(await StoredFileAsync(jobId)), "the uploaded file is deleted once the import has ended");
    }

    [Fact]
    public async Task A_cancelled_import_stops_before_its_next_batch_and_keeps_the_rows_committed()
    {
        var project = await _client.CreateProject();
        var jobId = await StartAsync(_client, project, Rows(project, 5000));
        await WaitForAsync(_client, jobId, s => s.GetProperty("processedRows").GetInt32() >= 10);

        var cancelled = await (await _client.DeleteAsync($"/api/v1/tasks/import-status/{jobId}")).Expect(HttpStatusCode.OK);
        await Task.Delay(500);
        var status = await StatusAsync(_client, jobId);

        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.Equal("cancelled", status.Str("status"));
        var processed = status.GetProperty("processedRows").GetInt32();
        Assert.InRange(processed, 10, 4999);
        Assert.Equal(processed, status.GetProperty("createdTasks").GetInt32());
        Assert.Equal(processed, (await app.TaskIds(project)).Count);
        Assert.Equal("cancelled", (await app.Events(project, "import_progress"))[^1].Str("status"));
        // Cancelling again changes nothing and says how it ended.
        var again = await (await _client.DeleteAsync($"/api/v1/tasks/import-status/{jobId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(("cancelled", processed), (again.Str("status"), again.GetProperty("processedRows").GetInt32()));
    }

    [Fact]
    public async Task An_import_interrupted_by_a_restart_goes_on_from_its_last_committed_batch()
    {
        var project = await _client.CreateProject();
        string jobId;
        int before;
        await using (var first = app.WithWebHostBuilder(_ => { }))
        {
            var client = ClientOf(first);
            jobId = await StartAsync(client, project, Rows(project, 3000));
            await WaitForAsync(client, jobId, s => s.GetProperty("processedRows").GetInt32() >= 20);
        }

        var stopped = await StatusAsync(_client, jobId);
        before = stopped.GetProperty("processedRows").GetInt32();
        Assert.Equal("pending", stopped.Str("status"));
        Assert.InRange(before, 20, 2999);
        Assert.Equal(before, (await app.TaskIds(project)).Count);

        await using var second = app.WithWebHostBuilder(_ => { });
        var status = await WaitForAsync(ClientOf(second), jobId, s => s.Str("status") == "completed");

        Assert.Equal("completed", status.Str("status"));
        Assert.Equal((3000, 3000, 0), (status.GetProperty("processedRows").GetInt32(), status.GetProperty("createdTasks").GetInt32(), status.GetProperty("invalidTasks").GetInt32()));
        Assert.Equal(3000, (await app.TaskIds(project)).Count);
        Assert.Contains(app.Logs.Lines, l => l.Text.Contains($"Import {jobId} resumes after row {before} of 3000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_of_a_header_alone_completes_with_nothing_to_do()
    {
        var project = await _client.CreateProject();

        var jobId = await StartAsync(_client, project, "episode,sequence,shot,task\n");
        var status = await WaitForAsync(_client, jobId, s => s.Str("status") == "completed");

        Assert.Equal(("completed", 100.0, 0), (status.Str("status"), status.GetProperty("progressPercent").GetDouble(), status.GetProperty("results").GetProperty("totalRows").GetInt32()));
        Assert.Equal("completed", Assert.Single(await app.Events(project, "import_progress")).Str("status"));
    }

    [Fact]
    public async Task A_refused_file_is_answered_at_once_and_no_job_is_made()
    {
        var project = await _client.CreateProject();

        await (await _client.PostAsync("/api/v1/tasks/import-csv-async", ImportBuilders.Form(project, ImportBuilders.Utf8("episode,shot\nep01,sh0010\n"))))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await (await _client.GetAsync("/api/v1/tasks/import-status/job_nope")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Only_the_user_who_started_an_import_or_a_project_admin_may_follow_or_cancel_it()
    {
        var project = await _client.CreateProject();
        var starter = await app.CreateUser(project, "producer");
        var colleague = await app.CreateUser(project, "supervisor");
        var projectAdmin = await app.CreateUser(project, "admin");
        var outsider = await app.CreateUser(await _client.CreateProject(), "producer");
        var jobId = await StartAsync(starter.Client, project, Rows(project, 3), ("validate_only", "true"));

        await WaitForAsync(starter.Client, jobId, s => s.Str("status") == "completed");
        Assert.Equal("completed", (await (await starter.Client.DeleteAsync($"/api/v1/tasks/import-status/{jobId}")).Expect(HttpStatusCode.OK)).Str("status"));
        await (await colleague.Client.GetAsync($"/api/v1/tasks/import-status/{jobId}")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await colleague.Client.DeleteAsync($"/api/v1/tasks/import-status/{jobId}")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await outsider.Client.GetAsync($"/api/v1/tasks/import-status/{jobId}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var seen = await StatusAsync(projectAdmin.Client, jobId);

        Assert.Equal((3, 0), (seen.GetProperty("results").GetProperty("createdTasks").GetInt32(), (await app.TaskIds(project)).Count));
    }
}
