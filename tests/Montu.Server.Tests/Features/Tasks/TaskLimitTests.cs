using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Tasks;

/// <summary>Each size limit of a task: refused one past it, naming the field and the limit; accepted at it.</summary>
public sealed class TaskLimitTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Theory]
    [InlineData("episode", 256)]
    [InlineData("artist", 256)]
    [InlineData("currentVersion", 256)]
    [InlineData("description", 10_000)]
    [InlineData("milestoneNote", 10_000)]
    [InlineData("workingFilePath", 10_000)]
    public async Task A_text_field_takes_its_limit_and_no_more(string field, int limit)
    {
        var id = await NewTask();

        var accepted = await (await Patch(id, new Dictionary<string, object> { [field] = new string('a', limit) })).Expect(HttpStatusCode.OK);
        var detail = await Refused(await Patch(id, new Dictionary<string, object> { [field] = new string('a', limit + 1) }));

        Assert.Equal(limit, accepted.Str(field).Length);
        Assert.Equal((field, "OUT_OF_RANGE"), (detail.Str("field"), detail.Str("code")));
        Assert.Contains($"at most {limit} characters", detail.Str("message"));
    }

    [Fact]
    public async Task Custom_fields_take_64_KiB_of_JSON_and_no_more()
    {
        var id = await NewTask();
        // {"note":"…"} is 11 bytes around the value.
        var atLimit = new string('x', 64 * 1024 - 11);

        var accepted = await (await Patch(id, new { customFields = new { note = atLimit } })).Expect(HttpStatusCode.OK);
        var detail = await Refused(await Patch(id, new { customFields = new { note = atLimit + "x" } }));

        Assert.Equal(atLimit, accepted.GetProperty("customFields").Str("note"));
        Assert.Equal(("customFields", "OUT_OF_RANGE"), (detail.Str("field"), detail.Str("code")));
        Assert.Contains("64 KiB", detail.Str("message"));
        Assert.Equal(atLimit, (await _client.GetTask(id)).GetProperty("customFields").Str("note"));
    }

    [Fact]
    public async Task Small_writes_cannot_add_up_past_the_custom_fields_limit()
    {
        var id = await NewTask();
        var half = new string('x', 40 * 1024);
        await (await _client.PostJson($"/api/v1/tasks/{id}/add-field", new { first = half })).Expect(HttpStatusCode.OK);

        var detail = await Refused(await _client.PostJson($"/api/v1/tasks/{id}/add-field", new { second = half }));

        Assert.Equal(("customFields", "OUT_OF_RANGE"), (detail.Str("field"), detail.Str("code")));
        Assert.False((await _client.GetTask(id)).GetProperty("customFields").TryGetProperty("second", out _));
    }

    [Fact]
    public async Task A_task_has_at_most_256_custom_fields()
    {
        var id = await NewTask();
        var fields = Enumerable.Range(0, 256).ToDictionary(i => $"f{i}", i => (object)i);

        await (await Patch(id, new { customFields = fields })).Expect(HttpStatusCode.OK);
        var detail = await Refused(await _client.PostJson($"/api/v1/tasks/{id}/add-field", new { one_more = 1 }));

        Assert.Equal(("customFields", "OUT_OF_RANGE"), (detail.Str("field"), detail.Str("code")));
        Assert.Contains("256", detail.Str("message"));
    }

    [Fact]
    public async Task Custom_field_names_have_at_most_128_characters()
    {
        var id = await NewTask();

        await (await Patch(id, new Dictionary<string, object> { [new string('n', 128)] = 1 })).Expect(HttpStatusCode.OK);
        var detail = await Refused(await Patch(id, new Dictionary<string, object> { [new string('n', 129)] = 1 }));

        Assert.Equal(("customFields", "OUT_OF_RANGE"), (detail.Str("field"), detail.Str("code")));
        Assert.Contains("128 characters", detail.Str("message"));
    }

    [Fact]
    public async Task A_custom_field_nests_at_most_8_levels()
    {
        var id = await NewTask();

        await (await _client.PatchRaw($"/api/v1/tasks/{id}", $$$"""{"customFields": {"deep": {{{Nested(8)}}}}}""")).Expect(HttpStatusCode.OK);
        var detail = await Refused(await _client.PatchRaw($"/api/v1/tasks/{id}", $$$"""{"customFields": {"deep": {{{Nested(9)}}}}}"""));

        Assert.Equal(("customFields.deep", "OUT_OF_RANGE"), (detail.Str("field"), detail.Str("code")));
        Assert.Contains("8 levels", detail.Str("message"));
    }

    [Fact]
    public async Task Versions_are_at_most_1000_names_of_at_most_256_characters()
    {
        var id = await NewTask();
        var versions = Enumerable.Range(1, 1000).Select(v => $"v{v:D3}").ToArray();

        var accepted = await (await Patch(id, new { versions })).Expect(HttpStatusCode.OK);
        var tooMany = await Refused(await Patch(id, new { versions = versions.Append("v1001") }));
        var tooLong = await Refused(await Patch(id, new { versions = new[] { "v001", new string('v', 257) } }));
        var notAName = await Refused(await _client.PatchRaw($"/api/v1/tasks/{id}", """{"versions": ["v001", {"blob": "x"}]}"""));

        Assert.Equal(1000, accepted.GetProperty("versions").GetArrayLength());
        Assert.Equal(("versions", "OUT_OF_RANGE"), (tooMany.Str("field"), tooMany.Str("code")));
        Assert.Contains("1000", tooMany.Str("message"));
        Assert.Equal(("versions[1]", "OUT_OF_RANGE"), (tooLong.Str("field"), tooLong.Str("code")));
        Assert.Equal(("versions[1]", "INVALID_TYPE"), (notAName.Str("field"), notAName.Str("code")));
    }

    [Fact]
    public async Task Frame_numbers_stay_within_ten_million_either_side_of_zero()
    {
        var id = await NewTask();

        await (await Patch(id, new { frameRange = new { start = -10_000_000, end = 10_000_000 } })).Expect(HttpStatusCode.OK);
        var detail = await Refused(await Patch(id, new { frameRange = new { start = 1, end = 10_000_001 } }));

        Assert.Equal(("frameRange.end", "OUT_OF_RANGE"), (detail.Str("field"), detail.Str("code")));
    }

    [Fact]
    public async Task Bulk_task_ids_have_at_most_128_characters()
    {
        var detail = await Refused(await _client.PostJson("/api/v1/tasks/bulk",
            new { taskIds = new[] { "t1", new string('t', 129) }, operation = "archive" }));

        Assert.Equal(("taskIds[1]", "OUT_OF_RANGE"), (detail.Str("field"), detail.Str("code")));
    }

    private async Task<string> NewTask()
    {
        var project = await _client.CreateProject();
        return (await _client.CreateTask(TaskBuilders.NamedTask(project, $"t_{project}"))).Str("id");
    }

    private Task<HttpResponseMessage> Patch(string id, object body) => _client.PatchJson($"/api/v1/tasks/{id}", body);

    private static async Task<JsonElement> Refused(HttpResponseMessage response) =>
        Assert.Single((await response.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).GetProperty("details").EnumerateArray());

    /// <summary><c>[[…[1]…]]</c>, <paramref name="levels"/> arrays deep.</summary>
    private static string Nested(int levels) => new string('[', levels) + "1" + new string(']', levels);
}
