using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Tasks;

public sealed class TaskLegacyShapeTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private async Task<HttpResponseMessage> SendLegacy(HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Montu-Version", "2.0");
        if (body is not null)
        {
            request.Content = Http.JsonContent(body);
        }

        return await _client.SendAsync(request);
    }

    private async Task<(string Project, string Id)> SeedTask()
    {
        var project = await _client.CreateProject();
        var task = await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_legacy",
            ("frameRange", new { start = 1001, end = 1153 }),
            ("customFields", new Dictionary<string, object?> { ["myKey"] = 1, ["snake_key"] = new { innerCamel = true } })));
        return (project, task.Str("id"));
    }

    [Fact]
    public async Task Montu_version_2_0_lists_in_the_v2_0_envelope_with_snake_case_keys_and_deprecation_headers()
    {
        var (project, id) = await SeedTask();

        var response = await SendLegacy(HttpMethod.Get, $"/api/v1/tasks?project_id={project}");
        var body = await response.Expect(HttpStatusCode.OK);

        Assert.Equal(["tasks", "total", "page", "page_size", "total_pages", "filters_applied"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal($$"""{"project_id":"{{project}}"}""", body.GetProperty("filters_applied").GetRawText());
        var task = Assert.Single(body.GetProperty("tasks").EnumerateArray());
        Assert.Equal(id, task.Str("id"));
        Assert.Equal(project, task.Str("project_id"));
        Assert.Equal(1153, task.GetProperty("frame_range").GetProperty("end").GetInt32());
        Assert.True(task.TryGetProperty("estimated_duration_hours", out _));
        Assert.False(task.TryGetProperty("projectId", out _));
        var custom = task.GetProperty("custom_fields");
        Assert.Equal(1, custom.GetProperty("myKey").GetInt32());
        Assert.True(custom.GetProperty("snake_key").GetProperty("innerCamel").GetBoolean());
        Assert.True(response.Headers.Contains("Deprecation"));
        Assert.True(response.Headers.Contains("Sunset"));
    }

    [Fact]
    public async Task Default_shape_has_no_deprecation_headers_and_keeps_custom_keys()
    {
        var (project, _) = await SeedTask();

        var response = await _client.GetAsync($"/api/v1/tasks?project_id={project}");
        var body = await response.Expect(HttpStatusCode.OK);

        Assert.Equal(["items", "total", "page", "pageSize", "totalPages", "nextCursor", "filtersApplied"], body.EnumerateObject().Select(p => p.Name));
        var custom = body.GetProperty("items")[0].GetProperty("customFields");
        Assert.True(custom.GetProperty("snake_key").GetProperty("innerCamel").GetBoolean());
        Assert.False(response.Headers.Contains("Deprecation"));
    }

    [Fact]
    public async Task Montu_version_2_0_single_task_and_bulk_answers_are_snake_case()
    {
        var (_, id) = await SeedTask();

        var task = await (await SendLegacy(HttpMethod.Put, $"/api/v1/tasks/{id}", new { milestone_note = "v2 client" })).Expect(HttpStatusCode.OK);
        var bulk = await (await SendLegacy(HttpMethod.Post, "/api/v1/tasks/bulk", new { task_ids = new[] { id, "gone" }, operation = "assign", data = new { artist = "x" } }))
            .Expect(HttpStatusCode.OK);

        Assert.Equal("v2 client", task.Str("milestone_note"));
        Assert.Equal(JsonValueKind.Null, task.GetProperty("start_time").ValueKind);
        Assert.Equal([id], bulk.GetProperty("updated_tasks").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("gone", bulk.GetProperty("errors")[0].Str("task_id"));
    }
}
