using System.Net;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>A query parameter a route does not read is an error, not a filter silently ignored.</summary>
public sealed class QueryParameterTests(TestApp app) : IClassFixture<TestApp>
{
    [Theory]
    [InlineData("/api/v1/tasks?pgae=2", "pgae", "page")]
    [InlineData("/api/v1/tasks?projectid=SWA", "projectid", "project_id")]
    [InlineData("/api/v1/tasks?page-size=10", "page-size", "page_size")]
    [InlineData("/api/v1/projects?serach=lighting", "serach", "search")]
    [InlineData("/api/v1/users?include_disable=true", "include_disable", "include_disabled")]
    public async Task A_misspelled_parameter_is_400_naming_it_and_the_one_meant(string url, string name, string meant)
    {
        var error = await (await app.Client.GetAsync(url)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal((name, "UNKNOWN_FIELD"), (detail.Str("field"), detail.Str("code")));
        Assert.Equal($"Unknown query parameter '{name}'; did you mean '{meant}'?", detail.Str("message"));
    }

    [Fact]
    public async Task Every_unknown_parameter_is_named_and_routes_without_parameters_take_none()
    {
        var project = await app.Client.CreateProject();

        var list = await (await app.Client.GetAsync($"/api/v1/tasks?project_id={project}&foo=1&bar=2")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var get = await (await app.Client.GetAsync($"/api/v1/projects/{project}?expand=tasks")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["foo", "bar"], list.Fields());
        Assert.Equal("Unknown query parameter 'expand'", get.Str("message"));
    }

    [Fact]
    public async Task Known_parameters_in_any_case_the_version_switch_and_a_cache_buster_are_accepted()
    {
        var project = await app.Client.CreateProject();

        await (await app.Client.GetAsync($"/api/v1/tasks?PROJECT_ID={project}&Page=1&_=1733130000")).Expect(HttpStatusCode.OK);
        var legacy = await (await app.Client.GetAsync($"/api/v1/projects/{project}?api_version=2.0")).Expect(HttpStatusCode.OK);

        Assert.Equal(project, legacy.Str("id"));
        Assert.True(legacy.TryGetProperty("drive_mapping", out _));
    }

    [Fact]
    public async Task A_project_filter_naming_a_missing_project_is_404_like_the_project_routes()
    {
        var error = await (await app.Client.GetAsync("/api/v1/tasks?project_id=NOPE_404")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Equal("Project 'NOPE_404' not found", error.Str("message"));
    }

    [Fact]
    public async Task A_page_chosen_by_cursor_has_no_page_number()
    {
        var project = await app.Client.CreateProject();
        await app.Client.CreateProject();
        await app.Client.CreateTasks(Enumerable.Range(0, 3).Select(i => TaskBuilders.ShotTask(project, episode: project, shot: $"sh{i:D4}")));
        var first = await app.Client.ListTasks($"project_id={project}&page_size=2");

        var next = await app.Client.ListTasks($"project_id={project}&page_size=2&cursor={Uri.EscapeDataString(first.Str("nextCursor"))}");
        var projects = await (await app.Client.GetAsync($"/api/v1/projects?page_size=1&cursor={Uri.EscapeDataString((await (await app.Client.GetAsync("/api/v1/projects?page_size=1")).Json()).Str("nextCursor"))}")).Expect(HttpStatusCode.OK);

        Assert.Equal(1, first.GetProperty("page").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, next.GetProperty("page").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, projects.GetProperty("page").ValueKind);
        Assert.Single(next.GetProperty("items").EnumerateArray());
    }
}
