using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Tasks;

public sealed class TaskListSortTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    /// <summary>Creates tasks named <c>{project}_{suffix}</c> in the order given, each with its fields.</summary>
    private async Task<(string Project, List<string> Ids)> Seed(params (string Suffix, (string Key, object? Value)[] Fields)[] tasks)
    {
        var project = await _client.CreateProject();
        var ids = await _client.CreateTasks(tasks.Select(t => TaskBuilders.NamedTask(project, $"{project}_{t.Suffix}", t.Fields)));
        return (project, ids);
    }

    private async Task<List<string>> Sorted(string project, string sort, string order) =>
        await _client.ListIds($"project_id={project}&sort={sort}&order={order}");

    [Fact]
    public async Task Default_order_is_id_ascending_and_id_sorts_both_ways()
    {
        var (project, ids) = await Seed(("c", []), ("a", []), ("b", []));
        var ascending = ids.Order(StringComparer.Ordinal).ToList();

        Assert.Equal(ascending, await _client.ListIds($"project_id={project}"));
        Assert.Equal(ascending, await Sorted(project, "id", "asc"));
        Assert.Equal(ascending.AsEnumerable().Reverse(), await Sorted(project, "id", "desc"));
    }

    [Fact]
    public async Task Created_at_sorts_by_creation_both_ways()
    {
        var (project, ids) = await Seed(("b", []), ("c", []), ("a", []));

        Assert.Equal(ids, await Sorted(project, "created_at", "asc"));
        Assert.Equal(ids.AsEnumerable().Reverse(), await Sorted(project, "created_at", "desc"));
    }

    [Fact]
    public async Task Updated_at_sorts_by_last_change_both_ways()
    {
        var (project, ids) = await Seed(("a", []), ("b", []), ("c", []));
        await (await _client.PatchJson($"/api/v1/tasks/{ids[1]}", new { artist = "later" })).Expect(HttpStatusCode.OK);
        await (await _client.PatchJson($"/api/v1/tasks/{ids[0]}", new { artist = "latest" })).Expect(HttpStatusCode.OK);

        Assert.Equal([ids[2], ids[1], ids[0]], await Sorted(project, "updated_at", "asc"));
        Assert.Equal([ids[0], ids[1], ids[2]], await Sorted(project, "updated_at", "desc"));
    }

    [Fact]
    public async Task Priority_sorts_by_the_projects_level_order_not_alphabetically_with_ties_by_id()
    {
        var (project, _) = await Seed(
            ("u", [("priority", "urgent")]), ("l2", [("priority", "low")]), ("h", [("priority", "high")]),
            ("m", [("priority", "medium")]), ("l1", [("priority", "low")]));
        string[] ascending = ["l1", "l2", "m", "h", "u"];
        string[] descending = ["u", "h", "m", "l2", "l1"];

        Assert.Equal(ascending.Select(s => $"{project}_{s}"), await Sorted(project, "priority", "asc"));
        Assert.Equal(descending.Select(s => $"{project}_{s}"), await Sorted(project, "priority", "desc"));
    }

    [Fact]
    public async Task Deadline_sorts_with_tasks_without_one_last_in_both_directions()
    {
        var (project, _) = await Seed(
            ("n2", []), ("late", [("deadline", "2025-12-01T00:00:00Z")]), ("n1", []),
            ("early", [("deadline", "2025-01-01T00:00:00Z")]), ("mid", [("deadline", "2025-06-01T00:00:00Z")]));
        string[] ascending = ["early", "mid", "late", "n1", "n2"];
        string[] descending = ["late", "mid", "early", "n2", "n1"];

        Assert.Equal(ascending.Select(s => $"{project}_{s}"), await Sorted(project, "deadline", "asc"));
        Assert.Equal(descending.Select(s => $"{project}_{s}"), await Sorted(project, "deadline", "desc"));
    }

    [Fact]
    public async Task Pages_report_total_and_total_pages_and_the_last_page_has_no_next_cursor()
    {
        var (project, ids) = await Seed(("a", []), ("b", []), ("c", []), ("d", []), ("e", []), ("f", []), ("g", []));

        var first = await _client.ListTasks($"project_id={project}&page_size=3");
        var last = await _client.ListTasks($"project_id={project}&page_size=3&page=3");
        var beyond = await _client.ListTasks($"project_id={project}&page_size=3&page=4");

        Assert.Equal((7, 1, 3, 3), (first.GetProperty("total").GetInt64(), first.GetProperty("page").GetInt32(),
            first.GetProperty("pageSize").GetInt32(), first.GetProperty("totalPages").GetInt64()));
        Assert.Equal(ids[..3], first.Ids());
        Assert.Equal(JsonValueKind.String, first.GetProperty("nextCursor").ValueKind);
        Assert.Equal([ids[6]], last.Ids());
        Assert.Equal(3, last.GetProperty("page").GetInt32());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("nextCursor").ValueKind);
        Assert.Empty(beyond.Ids());
        Assert.Equal(7, beyond.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_page_exactly_filling_the_list_has_no_next_cursor()
    {
        var (project, _) = await Seed(("a", []), ("b", []));

        var list = await _client.ListTasks($"project_id={project}&page_size=2");

        Assert.Equal(JsonValueKind.Null, list.GetProperty("nextCursor").ValueKind);
        Assert.Equal(1, list.GetProperty("totalPages").GetInt64());
    }

    [Fact]
    public async Task Page_size_defaults_to_50()
    {
        var project = await _client.CreateProject();

        var list = await _client.ListTasks($"project_id={project}");

        Assert.Equal((50, 0, 0), (list.GetProperty("pageSize").GetInt32(), list.GetProperty("total").GetInt64(), list.GetProperty("totalPages").GetInt64()));
    }
}
