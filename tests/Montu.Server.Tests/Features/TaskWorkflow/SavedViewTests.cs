using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.TaskWorkflow;

/// <summary>Saved views: applied by GET /tasks?view= under explicit parameters, private or shared, checked by the list's parser.</summary>
public sealed class SavedViewTests(TestApp app) : IClassFixture<TestApp>
{
    private const string Views = "/api/v1/views";
    private readonly HttpClient _admin = app.Client;

    private static async Task<JsonElement> SaveAsync(HttpClient client, string project, object query, bool shared = false, string name = "Lighting WIP") =>
        await (await client.PostJson(Views, new { projectId = project, name, resource = "tasks", query, shared })).Expect(HttpStatusCode.Created);

    [Fact]
    public async Task A_view_applies_its_filters_project_and_sort_and_explicit_parameters_win()
    {
        var project = await _admin.CreateProject();
        var other = await _admin.CreateProject();
        var p = project.ToLowerInvariant();
        await _admin.CreateTasks([
            TaskBuilders.NamedTask(project, $"{p}_a", ("status", "in_progress")),
            TaskBuilders.NamedTask(project, $"{p}_b", ("status", "in_progress")),
            TaskBuilders.NamedTask(project, $"{p}_c"),
            TaskBuilders.NamedTask(project, $"{p}_d", ("status", "in_progress")),
        ]);
        await (await _admin.PostJson($"/api/v1/tasks/{p}_d/dependencies", new { dependsOn = $"{p}_c" })).Expect(HttpStatusCode.Created);
        await _admin.CreateTask(TaskBuilders.NamedTask(other, $"{other.ToLowerInvariant()}_a", ("status", "in_progress")));

        var view = await SaveAsync(_admin, project, new
        {
            filters = new { status = "in_progress", blocked = false },
            sort = new { field = "id", order = "desc" },
            columns = (string[])["id", "status", "artist"],
        });
        Assert.Equal("""{"filters":{"status":"in_progress","blocked":"false"},"sort":{"field":"id","order":"desc"},"columns":["id","status","artist"]}""",
            view.GetProperty("query").GetRawText());
        var id = view.Str("id");

        Assert.Equal([$"{p}_b", $"{p}_a"], await _admin.ListIds($"view={id}"));
        Assert.Equal([$"{p}_a", $"{p}_b"], await _admin.ListIds($"view={id}&order=asc"));
        Assert.Equal([$"{p}_c"], await _admin.ListIds($"view={id}&status=not_started"));
        Assert.Equal([$"{p}_d"], await _admin.ListIds($"view={id}&blocked=true"));
        Assert.Equal([$"{p}_b", $"{p}_a"], await _admin.ListIds($"view={id}&project_id={project}"));
        var csv = await (await _admin.GetAsync($"/api/v1/tasks/export.csv?view={id}")).Content.ReadAsStringAsync();
        Assert.Equal([$"{p}_b", $"{p}_a"], csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0]));
        Assert.Equal(["project_id"], (await (await _admin.GetAsync($"/api/v1/tasks?view={id}&project_id={other}")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields());
        await (await _admin.GetAsync("/api/v1/tasks?view=view_nothing")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Private_views_are_their_owners_alone_and_shared_ones_are_read_by_the_projects_readers_but_changed_by_the_owner_only()
    {
        var project = await _admin.CreateProject();
        var owner = await app.CreateUser(project, "supervisor");
        var reader = await app.CreateUser(project, "viewer");
        var outsider = await app.CreateUser(await _admin.CreateProject(), "producer");
        var mine = (await SaveAsync(owner.Client, project, new { filters = new { status = "approved" } }, name: "B mine")).Str("id");
        var shared = (await SaveAsync(owner.Client, project, new { filters = new { task_type = "comp" } }, shared: true, name: "A team")).Str("id");
        var readers = (await SaveAsync(reader.Client, project, new { }, name: "C reader's")).Str("id");

        Assert.Equal([shared, mine], (await (await owner.Client.GetAsync($"{Views}?project_id={project}")).Expect(HttpStatusCode.OK)).Ids());
        Assert.Equal([shared, readers], (await (await reader.Client.GetAsync(Views)).Expect(HttpStatusCode.OK)).Ids());
        Assert.Empty((await (await outsider.Client.GetAsync(Views)).Expect(HttpStatusCode.OK)).Ids());
        await (await outsider.Client.GetAsync($"{Views}?project_id={project}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        await (await reader.Client.GetAsync($"{Views}/{mine}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await reader.Client.GetAsync($"/api/v1/tasks?view={mine}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await outsider.Client.GetAsync($"{Views}/{shared}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await outsider.Client.GetAsync($"/api/v1/tasks?view={shared}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("A team", (await (await reader.Client.GetAsync($"{Views}/{shared}")).Expect(HttpStatusCode.OK)).Str("name"));
        await reader.Client.ListTasks($"view={shared}");

        await (await reader.Client.PatchJson($"{Views}/{shared}", new { name = "Mine now" })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await reader.Client.DeleteAsync($"{Views}/{shared}")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await reader.Client.PatchJson($"{Views}/{mine}", new { name = "Mine now" })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        // Sharing shows a view to the whole project, which takes write on it.
        await (await reader.Client.PatchJson($"{Views}/{readers}", new { shared = true })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await reader.Client.PostJson(Views, new { projectId = project, name = "Loud", shared = true })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");

        var renamed = await (await owner.Client.PatchJson($"{Views}/{mine}", new { name = "Z mine", shared = true, query = new { filters = new { search = "sh" } } })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Z mine", true, """{"filters":{"search":"sh"},"sort":null,"columns":[]}"""),
            (renamed.Str("name"), renamed.GetProperty("shared").GetBoolean(), renamed.GetProperty("query").GetRawText()));
        Assert.Equal("Z mine", (await (await reader.Client.GetAsync($"{Views}/{mine}")).Expect(HttpStatusCode.OK)).Str("name"));
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"{Views}/{mine}")).StatusCode);
        await (await owner.Client.GetAsync($"{Views}/{mine}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Filters_and_sort_are_checked_by_the_task_lists_parser_when_saved()
    {
        var project = await _admin.CreateProject();
        async Task<IReadOnlyList<string>> Refused(object body) =>
            (await (await _admin.PostJson(Views, body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields();

        Assert.Equal(["query.filters.colour"], await Refused(new { projectId = project, name = "x", query = new { filters = new { colour = "red" } } }));
        Assert.Equal(["query.filters.blocked"], await Refused(new { projectId = project, name = "x", query = new { filters = new { blocked = "maybe" } } }));
        Assert.Equal(["query.filters.deadline_before"], await Refused(new { projectId = project, name = "x", query = new { filters = new { deadline_before = "soon" } } }));
        Assert.Equal(["query.filters.project_id"], await Refused(new { projectId = project, name = "x", query = new { filters = new { project_id = project } } }));
        Assert.Equal(["query.filters.status"], await Refused(new { projectId = project, name = "x", query = new { filters = new { status = (string[])["a"] } } }));
        Assert.Equal(["query.sort.field", "query.sort.order"], await Refused(new { projectId = project, name = "x", query = new { sort = new { field = "colour", order = "up" } } }));
        Assert.Equal(["resource"], await Refused(new { projectId = project, name = "x", resource = "media" }));
        Assert.Equal(["name"], await Refused(new { projectId = project, name = " " }));
        Assert.Equal(["projectId"], await Refused(new { name = "x" }));
        await (await _admin.PostJson(Views, new { projectId = "NOPE_PROJECT", name = "x" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var id = (await SaveAsync(_admin, project, new { filters = new { priority = "high", include_archived = true } })).Str("id");
        Assert.Equal(["query.filters.updated_since"], (await (await _admin.PatchJson($"{Views}/{id}", new { query = new { filters = new { updated_since = "yesterday" } } }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields());
    }
}
