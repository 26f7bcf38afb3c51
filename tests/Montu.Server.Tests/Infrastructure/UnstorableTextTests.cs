using System.Net;
using System.Net.Http.Headers;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>
/// U+0000 is valid JSON and valid Unicode, but PostgreSQL cannot store it (SQLite would): every
/// input refuses it with a 400 naming the field, on both engines alike. Bytes that are not UTF-8
/// inside a JSON string are refused the same way.
/// </summary>
public sealed class UnstorableTextTests(TestApp app) : IClassFixture<TestApp>
{
    public static TheoryData<string, string, string, string> Bodies() => new()
    {
        { "PATCH", "/api/v1/projects/{project}", """{"driveMapping": {"workingFiles": "a\u0000b"}}""", "driveMapping.workingFiles" },
        { "PATCH", "/api/v1/projects/{project}", """{"templates": {"t\u0000": "{project}"}}""", "templates" },
        { "PATCH", "/api/v1/projects/{project}", """{"taskTypes": ["comp", "\u0000"]}""", "taskTypes" },
        { "PATCH", "/api/v1/tasks/{task}", """{"currentVersion": "\u0000"}""", "currentVersion" },
        { "POST", "/api/v1/tasks/{task}/add-field", """{"note": "a\u0000b"}""", "note" },
        { "POST", "/api/v1/tasks/{task}/add-field", """{"n\u0000te": "x"}""", "body" },
        { "POST", "/api/v1/projects/{project}/users", """{"userId": "\u0000", "role": "artist"}""", "userId" },
        { "PATCH", "/api/v1/tasks/bulk-update", """[{"taskId": "{task}", "updates": {"description": "\u0000"}}]""", "[0].updates.description" },
        { "POST", "/api/v1/auth/login", """{"email": "a\u0000@b.test", "password": "long-enough-password"}""", "email" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_nul_character_in_a_body_is_400_naming_the_field_and_nothing_is_written(string method, string route, string body, string field)
    {
        var (project, task) = await ProjectAndTask();
        var before = (await app.Client.GetTask(task)).ToString() + (await (await app.Client.GetAsync($"/api/v1/projects/{project}")).Json());

        var response = await app.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), Fill(route, project, task))
        {
            Content = new StringContent(Fill(body, project, task), System.Text.Encoding.UTF8, "application/json"),
        });

        var error = await response.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal((field, "INVALID_FORMAT"), (detail.Str("field"), detail.Str("code")));
        Assert.Contains("U+0000", detail.Str("message"));
        Assert.Equal(before, (await app.Client.GetTask(task)).ToString() + (await (await app.Client.GetAsync($"/api/v1/projects/{project}")).Json()));
    }

    [Theory]
    [InlineData("/api/v1/tasks?milestone=%00", "milestone")]
    [InlineData("/api/v1/projects?search=a%00b", "search")]
    public async Task A_nul_character_in_a_query_value_is_400_naming_the_parameter(string url, string parameter)
    {
        var error = await (await app.Client.GetAsync(url)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal([parameter], error.Fields());
    }

    [Theory]
    [InlineData("/api/v1/projects")]
    [InlineData("/api/v1/users")]
    public async Task A_cursor_crafted_to_hold_a_nul_character_is_refused_as_invalid(string list)
    {
        var cursor = System.Buffers.Text.Base64Url.EncodeToString("\"\\u0000\""u8);

        var error = await (await app.Client.GetAsync($"{list}?cursor={cursor}")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["cursor"], error.Fields());
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_inside_a_task_string_are_400()
    {
        var (_, task) = await ProjectAndTask();
        var body = new ByteArrayContent([.. "{\"description\":\""u8, 0xFF, 0xFE, .. "\"}"u8]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var error = await (await app.Client.PatchAsync($"/api/v1/tasks/{task}", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Contains("not valid Unicode", error.Str("message"));
    }

    private async Task<(string Project, string Task)> ProjectAndTask()
    {
        var project = await app.Client.CreateProject();
        return (project, (await app.Client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id"));
    }

    private static string Fill(string template, string project, string task) => template.Replace("{project}", project).Replace("{task}", task);
}
