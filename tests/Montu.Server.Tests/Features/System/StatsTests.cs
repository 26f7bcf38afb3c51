using System.Net;
using System.Text.Json;
using Dapper;

namespace Montu.Server.Tests.Features.Monitoring;

public sealed class StatsTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task Stats_counts_the_rows_of_each_table()
    {
        var before = (await Stats()).GetProperty("database");
        var project = await _client.CreateProject();
        await _client.CreateProject();
        await InsertTasksAndMediaAsync(project, tasks: 3, media: 2);

        var after = (await Stats()).GetProperty("database");

        Assert.Equal(2, Count(after, "projects") - Count(before, "projects"));
        Assert.Equal(3, Count(after, "tasks") - Count(before, "tasks"));
        Assert.Equal(2, Count(after, "mediaRecords") - Count(before, "mediaRecords"));
        Assert.Equal(2, Count(after, "events") - Count(before, "events"));
        var collections = after.GetProperty("collections").EnumerateObject().Sum(c => c.Value.GetInt64());
        Assert.Equal(collections, after.GetProperty("totalDocuments").GetInt64());
    }

    [Fact]
    public async Task Stats_reports_process_figures_as_numbers()
    {
        var system = (await Stats()).GetProperty("system");

        Assert.True(system.GetProperty("memoryUsageMb").GetDouble() > 0);
        Assert.InRange(system.GetProperty("cpuUsagePercent").GetDouble(), 0, 100);
        Assert.Equal(JsonValueKind.Number, system.GetProperty("diskUsageGb").ValueKind);
        Assert.True(system.GetProperty("diskUsageGb").GetDouble() >= 0);
    }

    [Fact]
    public async Task Request_figures_move_with_traffic_and_count_only_5xx_as_errors()
    {
        await (await _client.GetAsync("/api/v1/projects")).Expect(HttpStatusCode.OK);
        await (await _client.GetAsync("/api/v1/projects/NOPE")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        var api = (await Stats()).GetProperty("api");

        Assert.True(api.GetProperty("requestsPerMinute").GetDouble() >= 2);
        Assert.True(api.GetProperty("averageResponseTimeMs").GetDouble() > 0);
        Assert.Equal(0, api.GetProperty("errorRatePercent").GetDouble());
    }

    [Fact]
    public async Task Stats_in_the_legacy_shape_has_the_v2_keys()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stats");
        request.Headers.Add("Montu-Version", "2.0");

        var body = await (await _client.SendAsync(request)).Expect(HttpStatusCode.OK);

        Assert.True(body.GetProperty("database").TryGetProperty("total_documents", out _));
        Assert.True(body.GetProperty("database").GetProperty("collections").TryGetProperty("media_records", out _));
        Assert.True(body.GetProperty("system").TryGetProperty("memory_usage_mb", out _));
        Assert.True(body.GetProperty("api").TryGetProperty("requests_per_minute", out _));
    }

    private async Task<JsonElement> Stats() => await (await _client.GetAsync("/api/v1/stats")).Expect(HttpStatusCode.OK);

    private static long Count(JsonElement database, string collection) =>
        database.GetProperty("collections").GetProperty(collection).GetInt64();

    private async Task InsertTasksAndMediaAsync(string projectId, int tasks, int media)
    {
        var now = DateTime.UtcNow;
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        for (var i = 0; i < tasks; i++)
        {
            await connection.ExecuteAsync("""
                INSERT INTO tasks (id, project_id, type, asset, task, status, priority, priority_rank, search_text, created_at, updated_at)
                VALUES (@id, @projectId, 'asset', 'hero', 'modeling', 'not_started', 'low', 0, @id, @now, @now)
                """, new { id = $"{projectId}_hero_{i}".ToLowerInvariant(), projectId, now });
        }

        for (var i = 0; i < media; i++)
        {
            await MediaBuilders.InsertRowAsync(app.Db, projectId, $"review_{i}.mov", 1024);
        }
    }
}
