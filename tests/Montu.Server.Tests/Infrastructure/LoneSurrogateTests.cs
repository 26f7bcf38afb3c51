using System.Net;
using System.Text;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>
/// A JSON string may escape half of a UTF-16 surrogate pair (<c>"\ud800"</c>): valid JSON, but no
/// text. Every write answers 400 naming the field, never 500, and stores nothing.
/// </summary>
public sealed class LoneSurrogateTests(TestApp app) : IClassFixture<TestApp>
{
    public static TheoryData<string, string, string> WriteRoutes() => new()
    {
        { "POST", "/api/v1/tasks", """{"projectId": "{project}", "type": "shot", "episode": "ep01", "sequence": "sq01", "shot": "sh01", "task": "comp", "description": "a{lone}b"}""" },
        { "POST", "/api/v1/tasks", """{"projectId": "{lone}", "type": "shot", "task": "comp"}""" },
        { "POST", "/api/v1/tasks", """{"projectId": "{project}", "type": "shot", "episode": "ep01", "sequence": "sq01", "shot": "sh01", "task": "comp", "customFields": {"k{lone}": 1}}""" },
        { "PATCH", "/api/v1/tasks/{task}", """{"artist": "{lone}"}""" },
        { "PATCH", "/api/v1/tasks/{task}", """{"customFields": {"notes": ["x", {"deep": "{lone}"}]}}""" },
        { "PUT", "/api/v1/tasks/{task}", """{"description": "{lone}"}""" },
        { "POST", "/api/v1/tasks/{task}/add-field", """{"{lone}": "value"}""" },
        { "PATCH", "/api/v1/tasks/bulk-update", """[{"taskId": "{task}", "updates": {"status": "{lone}"}}]""" },
        { "PATCH", "/api/v1/tasks/bulk-update", """[{"taskId": "{lone}", "updates": {"status": "approved"}}]""" },
        { "POST", "/api/v1/tasks/bulk", """{"taskIds": ["{task}"], "operation": "update", "data": {"description": "{lone}"}}""" },
        { "POST", "/api/v1/projects", """{"id": "X{lone}", "name": "n"}""" },
        { "PATCH", "/api/v1/projects/{project}", """{"templates": {"t": "{lone}"}}""" },
        { "PUT", "/api/v1/projects/{project}", """{"description": "{lone}"}""" },
        { "POST", "/api/v1/projects/{project}/users", """{"email": "{lone}@x.test", "role": "artist"}""" },
        { "POST", "/api/v1/users", """{"email": "a@b.test", "displayName": "{lone}"}""" },
        { "POST", "/api/v1/auth/login", """{"email": "{lone}", "password": "whatever-long"}""" },
        { "POST", "/api/v1/auth/refresh", """{"refreshToken": "{lone}"}""" },
    };

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task A_lone_surrogate_is_a_400_naming_the_field_and_nothing_is_written(string method, string route, string body)
    {
        var project = await app.Client.CreateProject();
        var task = (await app.Client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id");
        var before = await app.Client.GetTask(task);
        var request = new HttpRequestMessage(new HttpMethod(method), route.Replace("{project}", project).Replace("{task}", task))
        {
            Content = new StringContent(Fill(body, project, task), Encoding.UTF8, "application/json"),
        };

        var response = await app.Client.SendAsync(request);

        var error = await response.ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains(error.GetProperty("details").EnumerateArray(), d => d.Str("code") is "INVALID_FORMAT" or "MALFORMED_JSON");
        Assert.Equal(before.ToString(), (await app.Client.GetTask(task)).ToString());
    }

    [Fact]
    public async Task A_task_body_names_the_field_holding_the_lone_surrogate()
    {
        var project = await app.Client.CreateProject();
        var task = (await app.Client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id");

        var error = await (await app.Client.PatchRaw($"/api/v1/tasks/{task}", Fill("""{"customFields": {"notes": ["x", {"deep": "{lone}"}]}}""", project, task)))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal("customFields.notes[1].deep", detail.Str("field"));
        Assert.Equal("INVALID_FORMAT", detail.Str("code"));
        Assert.Contains("surrogate", detail.Str("message"));
    }

    /// <summary>The JSON escape <c>\ud800</c> goes in as six characters; C# would not let the lone surrogate itself into a string literal.</summary>
    private static string Fill(string template, string project, string task) =>
        template.Replace("{lone}", "\\ud800").Replace("{project}", project).Replace("{task}", task);
}
