using System.Net;

namespace Montu.Server.Tests.Features.Tasks;

public sealed class TaskCursorTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    /// <summary>Follows <c>nextCursor</c> to the end, running <paramref name="betweenPages"/> after each page.</summary>
    private async Task<List<string>> Walk(string query, int pageSize, Func<int, Task>? betweenPages = null)
    {
        var seen = new List<string>();
        string? cursor = null;
        var page = 0;
        do
        {
            var list = await _client.ListTasks($"{query}&page_size={pageSize}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            seen.AddRange(list.Ids());
            cursor = list.GetProperty("nextCursor").GetString();
            if (betweenPages is not null)
            {
                await betweenPages(page++);
            }
        }
        while (cursor is not null);
        return seen;
    }

    private async Task<string> Create(string project, string id, params (string Key, object? Value)[] fields) =>
        (await _client.CreateTask(TaskBuilders.NamedTask(project, id, fields))).Str("id");

    [Fact]
    public async Task Walking_by_id_returns_every_task_once_in_order_while_tasks_are_inserted()
    {
        var project = await _client.CreateProject();
        var initial = new List<string>();
        for (var i = 1; i <= 9; i++)
        {
            initial.Add(await Create(project, $"{project}_{i * 10}"));
        }

        var after = new List<string>();
        var before = new List<string>();
        var seen = await Walk($"project_id={project}", 2, async page =>
        {
            if (page < 5)
            {
                after.Add(await Create(project, $"{project}_95_{page:D2}"));
                before.Add(await Create(project, $"{project}_05_{page:D2}"));
            }
        });

        Assert.Equal(initial.Concat(after), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.DoesNotContain(seen, before.Contains);
    }

    [Fact]
    public async Task Walking_by_creation_time_shows_tasks_created_during_the_walk_at_the_end()
    {
        var project = await _client.CreateProject();
        var initial = new List<string>();
        foreach (var name in new[] { "m", "c", "x", "a", "q" })
        {
            initial.Add(await Create(project, $"{project}_{name}"));
        }

        var added = new List<string>();
        var seen = await Walk($"project_id={project}&sort=created_at&order=asc", 2, async page =>
        {
            if (page < 2)
            {
                added.Add(await Create(project, $"{project}_0{page}"));
            }
        });

        Assert.Equal(initial.Concat(added), seen);
    }

    [Theory]
    [InlineData("deadline", "asc")]
    [InlineData("deadline", "desc")]
    [InlineData("priority", "asc")]
    [InlineData("priority", "desc")]
    [InlineData("created_at", "desc")]
    [InlineData("updated_at", "asc")]
    [InlineData("id", "desc")]
    public async Task Walking_by_cursor_matches_the_single_page_listing_across_ties_and_missing_deadlines(string sort, string order)
    {
        var project = await _client.CreateProject();
        var deadlines = new[] { "2025-03-01T00:00:00Z", null, "2025-01-01T00:00:00Z", "2025-03-01T00:00:00Z", null, "2025-02-01T10:30:00.123456Z", null };
        var priorities = new[] { "high", "low", "high", "urgent", "low", "medium", "high" };
        for (var i = 0; i < deadlines.Length; i++)
        {
            await Create(project, $"{project}_{i}", ("deadline", deadlines[i]), ("priority", priorities[i]));
        }

        var query = $"project_id={project}&sort={sort}&order={order}";
        var whole = await _client.ListIds($"{query}&page_size=100");

        Assert.Equal(7, whole.Count);
        Assert.Equal(whole, await Walk(query, 2));
        Assert.Equal(whole, await Walk(query, 1));
    }

    [Fact]
    public async Task A_cursor_ignores_page()
    {
        var project = await _client.CreateProject();
        var ids = new List<string>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            ids.Add(await Create(project, $"{project}_{name}"));
        }

        var first = await _client.ListTasks($"project_id={project}&page_size=1");
        var next = await _client.ListIds($"project_id={project}&page_size=1&page=3&cursor={Uri.EscapeDataString(first.Str("nextCursor"))}");

        Assert.Equal([ids[1]], next);
    }

    [Theory]
    [InlineData("sort=priority")]
    [InlineData("order=desc")]
    [InlineData("sort=deadline&order=desc")]
    public async Task A_cursor_used_with_another_sort_or_order_is_400_naming_cursor(string other)
    {
        var project = await _client.CreateProject();
        await Create(project, $"{project}_a");
        await Create(project, $"{project}_b");
        var first = await _client.ListTasks($"project_id={project}&page_size=1&sort=deadline");

        var error = await (await _client.GetAsync($"/api/v1/tasks?project_id={project}&page_size=1&{other}&cursor={Uri.EscapeDataString(first.Str("nextCursor"))}"))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["cursor"], error.Fields());
    }

    [Fact]
    public async Task A_forged_cursor_with_a_bad_value_is_400()
    {
        var forged = Convert.ToBase64String("""{"sort":"priority","order":"asc","value":"DROP TABLE","id":"x"}"""u8.ToArray())
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var error = await (await _client.GetAsync($"/api/v1/tasks?sort=priority&cursor={forged}")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["cursor"], error.Fields());
    }
}
