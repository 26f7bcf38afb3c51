using System.Net;
using Dapper;

namespace Montu.Server.Tests.Features.Realtime;

public sealed class ChangesFeedTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Fact]
    public async Task The_feed_pages_a_projects_events_in_order_with_next_since_and_has_more()
    {
        var project = await _client.CreateProject();
        var ids = await _client.CreateTasks(Enumerable.Range(1, 3).Select(i => TaskBuilders.NamedTask(project, $"{project}_f{i}", ("shot", "SH0010"))));

        var first = await (await _client.GetAsync($"/api/v1/changes?project_id={project}&since=0&limit=5")).Expect(HttpStatusCode.OK);
        var items = first.GetProperty("items").EnumerateArray().ToList();
        // The first task makes the episode, sequence and shot the three share, before its own event.
        Assert.Equal(["project_created", "episode_created", "sequence_created", "shot_created", "task_created"], items.Select(i => i.Str("type")));
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal(items[4].GetProperty("seq").GetInt64(), first.GetProperty("nextSince").GetInt64());
        Assert.Equal(ids[0], items[4].Str("entityId"));
        Assert.Equal("task", items[4].Str("entityType"));
        Assert.Equal(project, items[4].Str("projectId"));
        Assert.Equal(ids[0], items[4].GetProperty("data").GetProperty("task").Str("id"));
        Assert.False(string.IsNullOrEmpty(items[4].Str("user")));

        var rest = await (await _client.GetAsync($"/api/v1/changes?project_id={project}&since={first.GetProperty("nextSince").GetInt64()}")).Expect(HttpStatusCode.OK);
        Assert.Equal(ids[1..], rest.GetProperty("items").EnumerateArray().Select(i => i.Str("entityId")));
        Assert.False(rest.GetProperty("hasMore").GetBoolean());

        var none = await (await _client.GetAsync($"/api/v1/changes?project_id={project}&since={rest.GetProperty("nextSince").GetInt64()}")).Expect(HttpStatusCode.OK);
        Assert.Empty(none.GetProperty("items").EnumerateArray());
        Assert.Equal(rest.GetProperty("nextSince").GetInt64(), none.GetProperty("nextSince").GetInt64());
    }

    [Fact]
    public async Task A_member_sees_only_the_events_of_their_projects()
    {
        var mine = await _client.CreateProject();
        var other = await _client.CreateProject();
        await _client.CreateTask(TaskBuilders.NamedTask(other, $"{other}_x"));
        var artist = await app.CreateUser(mine, "artist");

        var page = await (await artist.Client.GetAsync("/api/v1/changes?since=0&limit=1000")).Expect(HttpStatusCode.OK);
        var projects = page.GetProperty("items").EnumerateArray().Select(i => i.Str("projectId")).Distinct().ToList();
        Assert.Equal([mine], projects);
        await (await artist.Client.GetAsync($"/api/v1/changes?project_id={other}&since=0")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Since_and_limit_are_checked_and_since_defaults_to_everything_kept()
    {
        var all = await (await _client.GetAsync("/api/v1/changes?limit=1")).Expect(HttpStatusCode.OK);
        Assert.Single(all.GetProperty("items").EnumerateArray());
        Assert.True(all.GetProperty("hasMore").GetBoolean());
        Assert.All(all.GetProperty("items").EnumerateArray(), i => Assert.False(string.IsNullOrEmpty(i.Str("projectId"))));
        var bad = await (await _client.GetAsync("/api/v1/changes?since=-1&limit=5000")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["since", "limit"], bad.Fields());
    }

    [Fact]
    public async Task A_since_older_than_the_kept_log_is_410_resync_required()
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("UPDATE event_retention SET pruned_through = 5");
        try
        {
            var gone = await (await _client.GetAsync("/api/v1/changes?since=4")).ExpectError(HttpStatusCode.Gone, "RESYNC_REQUIRED");
            Assert.Contains("6", gone.Str("message"), StringComparison.Ordinal);
            await (await _client.GetAsync("/api/v1/changes?since=5")).Expect(HttpStatusCode.OK);
        }
        finally
        {
            await connection.ExecuteAsync("UPDATE event_retention SET pruned_through = 0");
        }
    }
}
