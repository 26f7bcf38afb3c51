using System.Net;

namespace Montu.Server.Tests.Features.Tasks;

/// <summary>
/// Each filter alone, over the whole server: every test uses values no other test in this
/// class uses (its own vocabulary, names and dates), so the exact ids returned can be asserted.
/// </summary>
public sealed class TaskListFilterTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    /// <summary>A project whose vocabularies carry its id, so filtering by one of them reaches only its tasks.</summary>
    private async Task<string> UniqueProject()
    {
        var id = Builders.NewProjectId("F");
        var body = Builders.Project(id);
        body["taskTypes"] = new[] { "comp", $"tt_{id}" };
        body["taskStatuses"] = new[] { $"st_{id}_a", $"st_{id}_b" };
        body["priorityLevels"] = new[] { $"pr_{id}_a", $"pr_{id}_b" };
        body["milestones"] = new[] { $"ms_{id}_a", $"ms_{id}_b" };
        await (await _client.PostJson("/api/v1/projects", body)).Expect(HttpStatusCode.Created);
        return id;
    }

    private async Task<List<string>> Create(string project, params (string Key, object? Value)[][] tasks)
    {
        var ids = new List<string>();
        for (var i = 0; i < tasks.Length; i++)
        {
            var body = TaskBuilders.NamedTask(project, $"{project}_{i}", [("task", "comp"), .. tasks[i]]);
            ids.Add((await _client.CreateTask(body)).Str("id"));
        }

        return ids;
    }

    [Fact]
    public async Task Project_id_returns_only_that_projects_tasks()
    {
        var a = await UniqueProject();
        var b = await UniqueProject();
        var ids = await Create(a, [], []);
        await Create(b, []);

        Assert.Equal(ids, await _client.ListIds($"project_id={a}"));
    }

    [Theory]
    [InlineData("episode")]
    [InlineData("sequence")]
    [InlineData("shot")]
    [InlineData("artist")]
    public async Task Name_filters_match_exactly(string field)
    {
        var project = await UniqueProject();
        var ids = await Create(project, [(field, $"{project}_x")], [(field, $"{project}_y")], [(field, $"{project}_x")], [(field, $"{project}_X")]);

        Assert.Equal([ids[0], ids[2]], await _client.ListIds($"{field}={project}_x"));
    }

    [Fact]
    public async Task Task_type_filters_on_the_task_field()
    {
        var project = await UniqueProject();
        var ids = await Create(project, [("task", $"tt_{project}")], [], [("task", $"tt_{project}")]);

        Assert.Equal([ids[0], ids[2]], await _client.ListIds($"task_type=tt_{project}"));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("priority")]
    [InlineData("milestone")]
    public async Task Vocabulary_filters_match_exactly(string field)
    {
        var project = await UniqueProject();
        var prefix = field switch { "status" => "st", "priority" => "pr", _ => "ms" };
        var ids = await Create(project, [(field, $"{prefix}_{project}_b")], [(field, $"{prefix}_{project}_a")], [(field, $"{prefix}_{project}_b")]);

        Assert.Equal([ids[0], ids[2]], await _client.ListIds($"{field}={prefix}_{project}_b"));
    }

    [Fact]
    public async Task Search_is_a_case_insensitive_substring_of_id_names_artist_and_description()
    {
        var project = await UniqueProject();
        var token = $"Needle{project}";
        var ids = await Create(project,
            [("description", $"Has the {token} inside")],
            [("artist", token.ToUpperInvariant())],
            [("description", "nothing here")],
            [("customFields", new { note = token })]);
        var byId = await _client.CreateTask(TaskBuilders.NamedTask(project, $"{token.ToLowerInvariant()}_id", ("task", "comp")));

        Assert.Equal([ids[0], ids[1], byId.Str("id")], await _client.ListIds($"search={token.ToLowerInvariant()}"));
    }

    [Fact]
    public async Task Search_takes_percent_and_underscore_literally()
    {
        var project = await UniqueProject();
        var ids = await Create(project,
            [("description", $"100% done {project}")],
            [("description", $"100x done {project}")],
            [("description", $"a_b {project}")],
            [("description", $"axb {project}")]);

        Assert.Equal([ids[0]], await _client.ListIds($"search={Uri.EscapeDataString($"0% done {project}")}"));
        Assert.Equal([ids[2]], await _client.ListIds($"search={Uri.EscapeDataString($"a_b {project}")}"));
    }

    [Fact]
    public async Task Deadline_before_is_strictly_before()
    {
        var project = await UniqueProject();
        var ids = await Create(project,
            [("deadline", "1901-01-01T00:00:00Z")],
            [("deadline", "1901-06-01T12:00:00Z")],
            [("deadline", "1901-07-01T00:00:00Z")],
            []);

        Assert.Equal([ids[0], ids[1]], await _client.ListIds("deadline_before=1901-07-01T00:00:00Z"));
    }

    [Fact]
    public async Task Deadline_after_is_strictly_after()
    {
        var project = await UniqueProject();
        var ids = await Create(project,
            [("deadline", "2998-01-01T00:00:00Z")],
            [("deadline", "2999-01-01T00:00:00Z")],
            [("deadline", "2999-06-01T08:30:00Z")],
            []);

        Assert.Equal([ids[1], ids[2]], await _client.ListIds("deadline_after=2998-01-01T00:00:00Z"));
    }

    [Fact]
    public async Task Updated_since_includes_tasks_updated_at_or_after_the_time()
    {
        var project = await UniqueProject();
        var ids = await Create(project, [], [], []);
        var since = (await _client.GetTask(ids[1])).Str("updatedAt");
        await (await _client.PatchJson($"/api/v1/tasks/{ids[0]}", new { description = "touched" })).Expect(HttpStatusCode.OK);

        Assert.Equal([ids[0], ids[1], ids[2]], await _client.ListIds($"updated_since={Uri.EscapeDataString(since)}"));
        var later = (await _client.GetTask(ids[2])).Str("updatedAt");
        Assert.Equal([ids[0], ids[2]], await _client.ListIds($"updated_since={Uri.EscapeDataString(later)}"));
    }

    [Fact]
    public async Task FiltersApplied_echoes_only_the_filters_given()
    {
        var project = await UniqueProject();

        var list = await _client.ListTasks($"project_id={project}&status=st_{project}_a&deadline_before=2030-01-01T00:00:00Z");

        Assert.Equal($$"""{"projectId":"{{project}}","status":"st_{{project}}_a","deadlineBefore":"2030-01-01T00:00:00Z"}""",
            list.GetProperty("filtersApplied").GetRawText());
    }

    [Theory]
    [InlineData("sort=name", "sort")]
    [InlineData("order=up", "order")]
    [InlineData("page=x", "page")]
    [InlineData("page=0", "page")]
    [InlineData("page_size=101", "page_size")]
    [InlineData("page_size=ten", "page_size")]
    [InlineData("deadline_before=soon", "deadline_before")]
    [InlineData("deadline_after=2025-13-01", "deadline_after")]
    [InlineData("updated_since=yesterday", "updated_since")]
    [InlineData("include_archived=maybe", "include_archived")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task Bad_query_values_are_400_naming_the_parameter(string query, string parameter)
    {
        var error = await (await _client.GetAsync($"/api/v1/tasks?{query}")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal([parameter], error.Fields());
    }

    [Fact]
    public async Task A_status_unknown_to_every_project_gives_an_empty_list()
    {
        var list = await _client.ListTasks("status=no_such_status");

        Assert.Equal(0, list.GetProperty("total").GetInt64());
        Assert.Empty(list.Ids());
    }
}
