using System.Net;
using System.Text.Json;
using Dapper;

namespace Montu.Server.Tests.Infrastructure.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on write routes: a repeat gets the first answer and changes nothing, the key
/// with another request is 422, a repeat while the first runs is 409, keys are per user and seen by
/// every instance on the database.
/// </summary>
public sealed class IdempotencyTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Repeat_of_a_create_gets_the_first_answer_and_creates_one_task()
    {
        var project = await _client.CreateProject();
        var key = NewKey();
        var body = TaskBuilders.ShotTask(project);

        using var first = await _client.PostKeyed("/api/v1/tasks", body, key);
        var created = await first.ExpectFirstRun(HttpStatusCode.Created);
        using var repeat = await _client.PostKeyed("/api/v1/tasks", body, key);
        var replayed = await repeat.ExpectReplay(HttpStatusCode.Created);

        Assert.Equal(await first.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        Assert.Equal(created.Str("id"), replayed.Str("id"));
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal("application/json", repeat.Content.Headers.ContentType?.MediaType);
        Assert.Equal(first.Header("X-Request-Id"), repeat.Header("X-Request-Id"));
        Assert.Equal(1, (await _client.ListTasks($"project_id={project}")).GetProperty("total").GetInt64());
        Assert.Equal(1, await Events(project, "task_created"));
    }

    [Fact]
    public async Task Repeat_of_a_patch_gets_the_first_answer_and_does_not_undo_a_later_change()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var key = NewKey();

        var patched = await (await _client.PatchKeyed($"/api/v1/tasks/{id}", new { status = "in_progress" }, key)).ExpectFirstRun(HttpStatusCode.OK);
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { status = "approved" })).Expect(HttpStatusCode.OK);
        var replayed = await (await _client.PatchKeyed($"/api/v1/tasks/{id}", new { status = "in_progress" }, key)).ExpectReplay(HttpStatusCode.OK);

        Assert.Equal("in_progress", patched.Str("status"));
        Assert.Equal("in_progress", replayed.Str("status"));
        Assert.Equal("approved", (await _client.GetTask(id)).Str("status"));
        Assert.Equal(2, await Events(project, "task_updated"));
    }

    [Fact]
    public async Task Repeat_of_a_delete_gets_its_204_again_where_a_plain_repeat_is_404()
    {
        var project = await _client.CreateProject();
        var member = await app.CreateUser(project, "artist");
        var url = $"/api/v1/projects/{project}/users/{member.Id}";
        var key = NewKey();

        using var first = await _client.DeleteKeyed(url, key);
        using var repeat = await _client.DeleteKeyed(url, key);

        await first.ExpectFirstRun(HttpStatusCode.NoContent);
        await repeat.ExpectReplay(HttpStatusCode.NoContent);
        Assert.Equal("", await repeat.Content.ReadAsStringAsync());
        await (await _client.DeleteAsync(url)).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Repeat_of_a_refusal_gets_the_same_refusal()
    {
        var project = await _client.CreateProject();
        var key = NewKey();
        var body = TaskBuilders.NamedTask(project, $"{project}_taken");
        await _client.CreateTask(body);

        var refused = await (await _client.PostKeyed("/api/v1/tasks", body, key)).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        using var repeat = await _client.PostKeyed("/api/v1/tasks", body, key);

        var replayed = (await repeat.ExpectReplay(HttpStatusCode.Conflict)).GetProperty("error");
        Assert.Equal(refused.Str("message"), replayed.Str("message"));
        Assert.Equal(refused.Str("requestId"), replayed.Str("requestId"));
        Assert.Equal(repeat.Header("X-Request-Id"), replayed.Str("requestId"));
    }

    [Fact]
    public async Task The_key_with_another_body_is_422_naming_the_key_and_changes_nothing()
    {
        var project = await _client.CreateProject();
        var key = NewKey();
        await (await _client.PostKeyed("/api/v1/tasks", TaskBuilders.ShotTask(project, shot: "SH0010"), key)).Expect(HttpStatusCode.Created);

        var error = await (await _client.PostKeyed("/api/v1/tasks", TaskBuilders.ShotTask(project, shot: "SH0020"), key))
            .ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        Assert.Contains($"'{key}'", error.Str("message"));
        Assert.Contains("another body", error.Str("message"));
        Assert.Equal(["Idempotency-Key"], error.Fields());
        Assert.Equal(1, (await _client.ListTasks($"project_id={project}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task The_key_on_another_route_is_422_naming_the_route_of_its_first_use()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var key = NewKey();
        await (await _client.PatchKeyed($"/api/v1/tasks/{id}", new { status = "in_progress" }, key)).Expect(HttpStatusCode.OK);

        var error = await (await _client.PatchKeyed($"/api/v1/projects/{project}", new { description = "x" }, key))
            .ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        Assert.Contains($"'{key}'", error.Str("message"));
        Assert.Contains($"PATCH '/api/v1/tasks/{id}'", error.Str("message"));
        Assert.NotEqual("x", (await (await _client.GetAsync($"/api/v1/projects/{project}")).Expect(HttpStatusCode.OK)).Str("description"));
    }

    [Fact]
    public async Task Racing_repeats_of_one_key_create_exactly_one_task()
    {
        var project = await _client.CreateProject();
        var key = NewKey();
        var body = TaskBuilders.ShotTask(project);

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _client.PostKeyed("/api/v1/tasks", body, key)));

        var statuses = answers.Select(a => a.StatusCode).ToList();
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created && !a.Replayed());
        var ids = await Task.WhenAll(answers.Where(a => a.StatusCode == HttpStatusCode.Created).Select(async a => (await a.Json()).Str("id")));
        Assert.Single(ids.Distinct());
        foreach (var busy in answers.Where(a => a.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Contains("still running", (await busy.ExpectError(HttpStatusCode.Conflict, "CONFLICT")).Str("message"));
        }

        Assert.Equal(1, (await _client.ListTasks($"project_id={project}")).GetProperty("total").GetInt64());
        Assert.Equal(1, await Events(project, "task_created"));
    }

    [Fact]
    public async Task A_repeat_while_the_first_upload_runs_is_409_and_later_repeats_get_its_answer()
    {
        var project = await _client.CreateProject();
        var task = (await _client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var key = NewKey();
        var (running, upload) = await app.StartHeldUpload(task, key);
        await app.UntilClaimed(key);

        var busy = await (await _client.UploadKeyed(task, key)).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        upload.Release();
        var created = await (await running).ExpectFirstRun(HttpStatusCode.Created);
        var replayed = await (await _client.UploadKeyed(task, key)).ExpectReplay(HttpStatusCode.Created);

        Assert.Contains($"'{key}'", busy.Str("message"));
        Assert.Equal(created.Str("id"), replayed.Str("id"));
        Assert.Equal(1, (await (await _client.GetAsync($"/api/v1/tasks/{task}/media")).Expect(HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task Keys_are_per_user_so_another_user_with_the_same_key_runs_their_own_request()
    {
        var project = await _client.CreateProject();
        var producer = await app.CreateUser(project, "producer");
        var key = NewKey();

        var mine = await (await _client.PostKeyed("/api/v1/tasks", TaskBuilders.ShotTask(project, shot: "SH0010"), key)).ExpectFirstRun(HttpStatusCode.Created);
        var theirs = await (await producer.Client.PostKeyed("/api/v1/tasks", TaskBuilders.ShotTask(project, shot: "SH0020"), key)).ExpectFirstRun(HttpStatusCode.Created);

        Assert.NotEqual(mine.Str("id"), theirs.Str("id"));
        Assert.Equal(2, (await _client.ListTasks($"project_id={project}")).GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("with space", "INVALID_FORMAT")]
    [InlineData("naïve", "INVALID_FORMAT")]
    [InlineData("256", "OUT_OF_RANGE")]
    public async Task A_key_that_is_empty_too_long_or_not_visible_ascii_is_400_and_nothing_runs(string key, string code)
    {
        var project = await _client.CreateProject();
        key = key == "256" ? new string('k', 256) : key;

        var error = await (await _client.PostKeyed("/api/v1/tasks", TaskBuilders.ShotTask(project), key)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["Idempotency-Key"], error.Fields());
        Assert.Equal(code, error.GetProperty("details")[0].Str("code"));
        Assert.Equal(0, (await _client.ListTasks($"project_id={project}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task An_empty_key_is_400_and_nothing_runs()
    {
        var project = await _client.CreateProject();
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(TaskBuilders.ShotTask(project));

        // Sent straight to the in-memory server: HttpClient leaves an empty header out.
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/api/v1/tasks";
            c.Request.Headers.Authorization = _client.DefaultRequestHeaders.Authorization!.ToString();
            c.Request.Headers["Idempotency-Key"] = "";
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(body);
        });

        var error = JsonDocument.Parse(context.Response.Body).RootElement.GetProperty("error");
        Assert.Equal((400, "VALIDATION_ERROR"), (context.Response.StatusCode, error.Str("code")));
        Assert.Equal(["Idempotency-Key"], error.Fields());
        Assert.Equal("REQUIRED_FIELD", error.GetProperty("details")[0].Str("code"));
        Assert.Equal(0, (await _client.ListTasks($"project_id={project}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_key_of_255_characters_is_taken()
    {
        var project = await _client.CreateProject();
        var key = new string('k', 255 - project.Length) + project;

        await (await _client.PostKeyed("/api/v1/tasks", TaskBuilders.ShotTask(project), key)).ExpectFirstRun(HttpStatusCode.Created);
        await (await _client.PostKeyed("/api/v1/tasks", TaskBuilders.ShotTask(project), key)).ExpectReplay(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Two_keys_on_one_request_are_400()
    {
        var project = await _client.CreateProject();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tasks") { Content = Http.JsonContent(TaskBuilders.ShotTask(project)) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", [NewKey(), NewKey()]);

        var error = await (await _client.SendAsync(request)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["Idempotency-Key"], error.Fields());
    }

    [Fact]
    public async Task Sign_in_with_a_key_is_400_since_tokens_are_never_stored()
    {
        var error = await (await app.Anonymous().PostKeyed("/api/v1/auth/login", new { email = TestApp.AdminEmail, password = TestApp.AdminPassword }, NewKey()))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Contains("tokens", error.Str("message"));
        Assert.Equal(["Idempotency-Key"], error.Fields());
    }

    [Fact]
    public async Task A_key_on_a_read_is_ignored()
    {
        var project = await _client.CreateProject();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/projects/{project}");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "");

        var read = await (await _client.SendAsync(request)).Expect(HttpStatusCode.OK);

        Assert.Equal(project, read.Str("id"));
    }

    [Fact]
    public async Task A_repeat_reaching_another_instance_gets_the_first_answer()
    {
        await using var other = app.SecondInstance();
        await other.InitializeAsync();
        var project = await _client.CreateProject();
        var key = NewKey();
        var body = TaskBuilders.ShotTask(project);

        var created = await (await _client.PostKeyed("/api/v1/tasks", body, key)).ExpectFirstRun(HttpStatusCode.Created);
        var replayed = await (await other.Client.PostKeyed("/api/v1/tasks", body, key)).ExpectReplay(HttpStatusCode.Created);

        Assert.Equal(created.Str("id"), replayed.Str("id"));
        Assert.Equal(1, (await other.Client.ListTasks($"project_id={project}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task The_document_gives_every_write_route_the_key_its_replay_header_and_its_409_and_422_but_those_that_refuse_it()
    {
        var document = await (await _client.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        string[] refusing = ["Login", "RefreshToken", "CreateMediaLink", "SharePlaylist", "CreateUpload", "AppendToUpload", "TerminateUpload"];

        var writes = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(m => m.Name is "post" or "put" or "patch" or "delete").Select(m => m.Value))
            .ToList();
        Assert.True(writes.Count > 20);
        foreach (var operation in writes)
        {
            var id = operation.Str("operationId");
            var key = operation.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().SingleOrDefault(p => p.Str("name") == "Idempotency-Key")
                : default;
            if (refusing.Contains(id))
            {
                Assert.True(key.ValueKind == JsonValueKind.Undefined, $"{id} documents a key it refuses");
                continue;
            }

            Assert.True(key.ValueKind == JsonValueKind.Object, $"{id} does not document Idempotency-Key");
            Assert.Equal(("header", 255), (key.Str("in"), key.GetProperty("schema").GetProperty("maxLength").GetInt32()));
            Assert.False(key.TryGetProperty("required", out var required) && required.GetBoolean(), $"{id} requires a key");
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("409", out _) && responses.TryGetProperty("422", out _), $"{id} lacks 409 or 422");
            foreach (var answer in responses.EnumerateObject().Where(r => r.Name[0] is '2' or '4'))
            {
                Assert.True(answer.Value.TryGetProperty("headers", out var headers) && headers.TryGetProperty("Idempotent-Replayed", out _), $"{id} {answer.Name} lacks Idempotent-Replayed");
            }
        }
    }

    private async Task<long> Events(string project, string type)
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE project_id = @project AND type = @type", new { project, type });
    }
}
