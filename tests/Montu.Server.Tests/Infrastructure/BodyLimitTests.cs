using System.Net;
using System.Text;
using System.Text.Json;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>Request-body limits per route, on a real Kestrel listener (the in-memory server does not apply them).</summary>
public sealed class BodyLimitTests(KestrelTestApp app) : IClassFixture<KestrelTestApp>
{
    private const int OneMiB = 1024 * 1024;
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task A_body_over_the_route_limit_is_413_in_the_error_envelope()
    {
        var response = await Send(HttpMethod.Post, "/api/v1/projects", Padded(Builders.Project(Builders.NewProjectId()), OneMiB + 1));

        var error = await response.ExpectError(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        Assert.Equal("The request body is larger than the 1024 KiB this route accepts", error.Str("message"));
    }

    [Fact]
    public async Task A_body_at_the_route_limit_is_accepted()
    {
        var id = Builders.NewProjectId();

        var response = await Send(HttpMethod.Post, "/api/v1/projects", Padded(Builders.Project(id), OneMiB));

        Assert.Equal(id, (await response.Expect(HttpStatusCode.Created)).Str("id"));
    }

    [Fact]
    public async Task A_streamed_body_without_a_length_is_refused_once_it_passes_the_limit()
    {
        var taskId = await NewTask();

        var (status, body) = await RawHttp.StreamUnfinishedBody(_client, HttpMethod.Patch, $"/api/v1/tasks/{taskId}", OneMiB + 64 * 1024);

        Assert.Equal(413, status);
        Assert.Equal("PAYLOAD_TOO_LARGE", body.GetProperty("error").Str("code"));
        Assert.Equal(JsonValueKind.Null, (await _client.GetTask(taskId)).GetProperty("description").ValueKind);
    }

    [Fact]
    public async Task A_25_MB_custom_field_is_refused_and_never_stored()
    {
        var taskId = await NewTask();
        var body = "{\"customFields\": {\"reference\": \"" + new string('x', 25 * OneMiB) + "\"}}";

        var response = await Send(HttpMethod.Patch, $"/api/v1/tasks/{taskId}", body);

        await response.ExpectError(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        Assert.Empty((await _client.GetTask(taskId)).GetProperty("customFields").EnumerateObject());
    }

    [Fact]
    public async Task Bulk_routes_take_bodies_above_the_ordinary_limit_up_to_their_own()
    {
        var taskId = await NewTask();
        object[] items = [new { taskId, updates = new { description = "bulk" } }];

        var accepted = await Send(HttpMethod.Patch, "/api/v1/tasks/bulk-update", Padded(items, 4 * OneMiB));
        var refused = await Send(HttpMethod.Patch, "/api/v1/tasks/bulk-update", Padded(items, 4 * OneMiB + 1));

        Assert.Equal(1, (await accepted.Expect(HttpStatusCode.OK)).GetProperty("successful").GetInt32());
        await refused.ExpectError(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    private async Task<string> NewTask()
    {
        var projectId = await _client.CreateProject();
        return (await _client.CreateTask(TaskBuilders.NamedTask(projectId, $"sh_{projectId}"))).Str("id");
    }

    /// <summary>The body as JSON followed by spaces up to exactly <paramref name="bytes"/> bytes: still valid JSON.</summary>
    private static string Padded(object body, int bytes)
    {
        var json = JsonSerializer.Serialize(body);
        return json + new string(' ', bytes - Encoding.UTF8.GetByteCount(json));
    }

    /// <summary>With <c>Expect: 100-continue</c>, so a refused body is never sent and the answer is read cleanly.</summary>
    private Task<HttpResponseMessage> Send(HttpMethod method, string url, string body)
    {
        var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        return _client.SendAsync(request);
    }
}
