using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MessagePack;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>
/// MessagePack on request (docs/api.md §Wire formats): the same bodies as JSON, keys and shapes
/// unchanged, both ways, errors included. Answers are decoded with the MessagePack library and
/// compared with the JSON the same request gets.
/// </summary>
public sealed class MessagePackTests(TestApp app) : IClassFixture<TestApp>
{
    private const string MessagePackType = "application/x-msgpack";
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task A_task_as_messagepack_is_the_json_answer()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_pack",
            ("frameRange", new { start = 1001, end = 1153 }), ("estimatedDurationHours", 2.5),
            ("customFields", new Dictionary<string, object?> { ["note"] = "café ✓", ["big"] = 12345678901L })))).Str("id");
        var json = await _client.GetTask(id);

        var response = await SendAsync(HttpMethod.Get, $"/api/v1/tasks/{id}", accept: MessagePackType);

        var packed = await ExpectMessagePack(response, HttpStatusCode.OK);
        Assert.True(JsonElement.DeepEquals(json, packed), $"{json}\n{packed}");
        Assert.Equal("café ✓", packed.GetProperty("customFields").Str("note"));
    }

    [Fact]
    public async Task A_list_page_as_messagepack_is_the_json_answer_also_when_the_page_is_stored()
    {
        var project = await _client.CreateProject();
        await _client.CreateTasks(Enumerable.Range(1, 3).Select(i => TaskBuilders.ShotTask(project, shot: $"sh{i:D3}")));
        var json = await _client.ListTasks($"project_id={project}");

        foreach (var _ in new[] { "computed", "stored" })
        {
            var packed = await ExpectMessagePack(await SendAsync(HttpMethod.Get, $"/api/v1/tasks?project_id={project}", accept: MessagePackType), HttpStatusCode.OK);
            Assert.True(JsonElement.DeepEquals(json, packed), $"{json}\n{packed}");
            Assert.Equal(3, packed.GetProperty("items").GetArrayLength());
        }
    }

    [Fact]
    public async Task An_answer_in_messagepack_has_its_length_and_varies_on_accept()
    {
        var project = await _client.CreateProject();

        var response = await SendAsync(HttpMethod.Get, $"/api/v1/projects/{project}", accept: MessagePackType);

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Contains("Accept", response.Headers.Vary);
        Assert.Equal(project, JsonDocument.Parse(MessagePackSerializer.ConvertToJson(bytes)).RootElement.Str("id"));
    }

    [Fact]
    public async Task A_json_answer_varies_on_accept_too()
    {
        var response = await _client.GetAsync("/api/v1/auth/me");

        await response.Expect(HttpStatusCode.OK);
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Fact]
    public async Task A_task_created_with_a_messagepack_body_is_the_task_json_would_create()
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.NamedTask(project, $"{project}_made", ("frameRange", new { start = 1001, end = 1100 }), ("description", "from a DCC plug-in"));

        var response = await SendAsync(HttpMethod.Post, "/api/v1/tasks", Pack(body), accept: MessagePackType);

        var created = await ExpectMessagePack(response, HttpStatusCode.Created);
        Assert.Equal($"{project}_made", created.Str("id"));
        Assert.Equal(1100, created.GetProperty("frameRange").GetProperty("end").GetInt32());
        Assert.Equal("from a DCC plug-in", (await _client.GetTask($"{project}_made")).Str("description"));
    }

    [Fact]
    public async Task A_task_patched_with_a_messagepack_body_stores_typed_and_custom_fields()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");

        var response = await SendAsync(HttpMethod.Patch, $"/api/v1/tasks/{id}",
            Pack(new Dictionary<string, object?> { ["status"] = "in_progress", ["shotgunId"] = 4711, ["estimated_duration_hours"] = 1.5 }));

        var task = await response.Expect(HttpStatusCode.OK);
        Assert.Equal("in_progress", task.Str("status"));
        Assert.Equal(1.5, task.GetProperty("estimatedDurationHours").GetDouble());
        Assert.Equal(4711, task.GetProperty("customFields").GetProperty("shotgunId").GetInt32());
    }

    [Fact]
    public async Task A_messagepack_timestamp_is_read_as_the_iso_text_json_sends()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var body = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(body);
        writer.WriteMapHeader(1);
        writer.Write("deadline");
        writer.Write(new DateTime(2026, 3, 1, 17, 30, 0, DateTimeKind.Utc));
        writer.Flush();

        var task = await (await SendAsync(HttpMethod.Patch, $"/api/v1/tasks/{id}", body.WrittenSpan.ToArray())).Expect(HttpStatusCode.OK);

        Assert.Equal("2026-03-01T17:30:00Z", task.Str("deadline"));
    }

    [Fact]
    public async Task A_validation_error_is_answered_in_messagepack_naming_the_field()
    {
        var project = await _client.CreateProject();
        var body = TaskBuilders.ShotTask(project);
        body["frameRange"] = new { start = 20, end = 10 };

        var response = await SendAsync(HttpMethod.Post, "/api/v1/tasks", Pack(body), accept: MessagePackType);

        var error = (await ExpectMessagePack(response, HttpStatusCode.BadRequest)).GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.Str("code"));
        Assert.Contains("frameRange", error.Fields().Single());
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), error.Str("requestId"));
    }

    [Fact]
    public async Task A_malformed_messagepack_body_is_400_in_the_error_envelope()
    {
        var project = await _client.CreateProject();
        // A map of two entries that ends after its first key.
        byte[] truncated = [0x82, 0xA9, .. "projectId"u8];

        var response = await SendAsync(HttpMethod.Post, "/api/v1/tasks", truncated);

        var error = await response.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var detail = error.GetProperty("details").EnumerateArray().Single();
        Assert.Equal(("body", "MALFORMED_JSON"), (detail.Str("field"), detail.Str("code")));
        Assert.Equal("The request body is not valid MessagePack", error.Str("message"));
        Assert.Equal(0, (await _client.ListTasks($"project_id={project}")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Binary_data_in_a_messagepack_body_is_400_naming_the_field()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var body = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(body);
        writer.WriteMapHeader(1);
        writer.Write("customFields");
        writer.WriteMapHeader(1);
        writer.Write("thumb");
        writer.Write(new byte[] { 1, 2, 3 });
        writer.Flush();

        var response = await SendAsync(HttpMethod.Patch, $"/api/v1/tasks/{id}", body.WrittenSpan.ToArray(), accept: MessagePackType);

        var error = (await ExpectMessagePack(response, HttpStatusCode.BadRequest)).GetProperty("error");
        var detail = error.GetProperty("details").EnumerateArray().Single();
        Assert.Equal(("customFields.thumb", "INVALID_TYPE"), (detail.Str("field"), detail.Str("code")));
        Assert.StartsWith("Field 'customFields.thumb' is binary data", error.Str("message"));
    }

    [Fact]
    public async Task A_malformed_messagepack_body_without_a_token_is_401_first()
    {
        var response = await SendAsync(HttpMethod.Post, "/api/v1/tasks", [0xC1], client: app.Anonymous());

        await response.ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Theory]
    [InlineData("application/x-msgpack", MessagePackType)]
    [InlineData("application/vnd.msgpack", "application/vnd.msgpack")]
    [InlineData("application/json, application/x-msgpack", "application/json")]
    [InlineData("application/x-msgpack, application/json", MessagePackType)]
    [InlineData("application/json;q=0.5, application/x-msgpack", MessagePackType)]
    [InlineData("application/x-msgpack;q=0.5, application/json", "application/json")]
    [InlineData("application/x-msgpack;q=0.9, */*;q=0.8", MessagePackType)]
    [InlineData("application/x-msgpack, */*", MessagePackType)]
    [InlineData("application/json;q=0.1, */*", "application/json")]
    [InlineData("application/x-msgpack;q=0", "application/json")]
    [InlineData("application/x-msgpack;q=0.2, application/vnd.msgpack;q=0.8", "application/vnd.msgpack")]
    public async Task Accept_chooses_the_format_by_quality(string accept, string answered)
    {
        var response = await SendAsync(HttpMethod.Get, "/api/v1/auth/me", accept: accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(answered, response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var body = answered == "application/json" ? JsonDocument.Parse(bytes).RootElement : JsonDocument.Parse(MessagePackSerializer.ConvertToJson(bytes)).RootElement;
        Assert.Equal(TestApp.AdminEmail, body.Str("email"));
    }

    [Fact]
    public async Task The_v2_0_shape_applies_under_messagepack()
    {
        var project = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_legacy", ("frameRange", new { start = 1001, end = 1153 })));

        var response = await SendAsync(HttpMethod.Get, $"/api/v1/tasks?project_id={project}&api_version=2.0", accept: MessagePackType);

        var body = await ExpectMessagePack(response, HttpStatusCode.OK);
        Assert.Equal(["tasks", "total", "page", "page_size", "total_pages", "filters_applied"], body.EnumerateObject().Select(p => p.Name));
        var task = Assert.Single(body.GetProperty("tasks").EnumerateArray());
        Assert.Equal(project, task.Str("project_id"));
        Assert.Equal(1153, task.GetProperty("frame_range").GetProperty("end").GetInt32());
        Assert.True(response.Headers.Contains("Deprecation"));
    }

    [Fact]
    public async Task A_stored_json_file_is_downloaded_as_it_is_whatever_the_accept()
    {
        var project = await _client.CreateProject();
        var task = (await _client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var file = MediaBuilders.Text("""{"camera": "A", "lens": 35}""");
        var media = await (await _client.PostMedia("camera.json", file, ("task_id", task))).Expect(HttpStatusCode.Created);

        var response = await SendAsync(HttpMethod.Get, $"/api/v1/media/{media.Str("id")}/download", accept: MessagePackType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(file, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Accept", response.Headers.Vary);
    }

    private static byte[] Pack(object body) => MessagePackSerializer.ConvertFromJson(JsonSerializer.Serialize(body));

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, byte[]? body = null, string? accept = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (accept is not null)
        {
            request.Headers.Accept.Clear();
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(MessagePackType);
        }

        return await (client ?? _client).SendAsync(request);
    }

    /// <summary>Asserts the status and a MessagePack body, and returns it decoded by the library, as JSON.</summary>
    private static async Task<JsonElement> ExpectMessagePack(HttpResponseMessage response, HttpStatusCode status)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var type = response.Content.Headers.ContentType?.MediaType;
        Assert.True(response.StatusCode == status && type == MessagePackType,
            $"Expected {(int)status} in MessagePack, got {(int)response.StatusCode} {type}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        return JsonDocument.Parse(MessagePackSerializer.ConvertToJson(bytes)).RootElement.Clone();
    }
}
