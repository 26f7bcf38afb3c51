using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Realtime;

public sealed class ChannelDeliveryTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private string AdminToken => _client.DefaultRequestHeaders.Authorization!.Parameter!;

    private async Task<long> LatestSeqAsync(string project)
    {
        var page = await (await _client.GetAsync($"/api/v1/changes?project_id={project}&since=0&limit=1000")).Expect(HttpStatusCode.OK);
        return page.GetProperty("nextSince").GetInt64();
    }

    [Fact]
    public async Task Task_events_arrive_live_with_seq_and_the_v20_data_after_ready()
    {
        var project = await _client.CreateProject();
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", AdminToken);
        var ready = await socket.ReceiveAsync();
        Assert.Equal("ready", ready.Str("type"));

        var id = (await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_live"))).Str("id");
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { status = "in_progress" })).Expect(HttpStatusCode.OK);

        var created = await socket.ReceiveAsync();
        Assert.Equal("task_created", created.Str("type"));
        Assert.True(created.GetProperty("seq").GetInt64() > ready.GetProperty("seq").GetInt64());
        Assert.Equal(id, created.GetProperty("data").GetProperty("task").Str("id"));
        Assert.False(string.IsNullOrEmpty(created.GetProperty("data").Str("user")));
        Assert.True(created.GetProperty("data").GetProperty("timestamp").TryGetDateTime(out _));

        var updated = await socket.ReceiveAsync();
        Assert.Equal("task_updated", updated.Str("type"));
        Assert.Equal(created.GetProperty("seq").GetInt64() + 1, updated.GetProperty("seq").GetInt64());
        var data = updated.GetProperty("data");
        Assert.Equal(id, data.Str("taskId"));
        Assert.Equal("in_progress", data.GetProperty("changes").Str("status"));
        Assert.Equal("not_started", data.GetProperty("previous").Str("status"));
    }

    [Fact]
    public async Task Since_replays_the_missed_events_in_order_then_ready_then_live()
    {
        var project = await _client.CreateProject();
        var before = await LatestSeqAsync(project);
        var ids = await _client.CreateTasks(Enumerable.Range(1, 3).Select(i => TaskBuilders.NamedTask(project, $"{project}_r{i}")));
        var latest = await LatestSeqAsync(project);

        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}?since={before}", AdminToken);
        var replayed = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            replayed.Add(await socket.ReceiveAsync());
        }

        Assert.Equal(ids, replayed.Select(m => m.GetProperty("data").GetProperty("task").Str("id")));
        Assert.All(replayed, m => Assert.Equal("task_created", m.Str("type")));
        var ready = await socket.ReceiveAsync();
        Assert.Equal("ready", ready.Str("type"));
        Assert.True(ready.GetProperty("seq").GetInt64() >= latest);

        await (await _client.PatchJson($"/api/v1/tasks/{ids[0]}", new { priority = "high" })).Expect(HttpStatusCode.OK);
        var live = await socket.ReceiveAsync();
        Assert.Equal("task_updated", live.Str("type"));
        Assert.True(live.GetProperty("seq").GetInt64() > ready.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Every_reader_sees_every_event_once_in_order_across_the_replay_to_live_switch_while_writers_write()
    {
        var project = await _client.CreateProject();
        var ids = await _client.CreateTasks(Enumerable.Range(1, 4).Select(i => TaskBuilders.NamedTask(project, $"{project}_w{i}")));
        var start = await LatestSeqAsync(project);
        const int patchesPerWriter = 15;

        var writers = ids.Select(id => Task.Run(async () =>
        {
            for (var i = 0; i < patchesPerWriter; i++)
            {
                await (await _client.PatchJson($"/api/v1/tasks/{id}", new { description = $"pass {i}" })).Expect(HttpStatusCode.OK);
            }
        })).ToList();

        // Readers join while the writers run, each replaying from the same starting point.
        var readers = Enumerable.Range(0, 3).Select(n => Task.Run(async () =>
        {
            await Task.Delay(n * 40);
            await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}?since={start}", AdminToken);
            var seen = new List<long>();
            while (seen.Count < ids.Count * patchesPerWriter)
            {
                var message = await socket.ReceiveAsync();
                if (message.Str("type") != "ready")
                {
                    seen.Add(message.GetProperty("seq").GetInt64());
                }
            }

            return seen;
        })).ToList();

        await Task.WhenAll(writers);
        var expected = (await (await _client.GetAsync($"/api/v1/changes?project_id={project}&since={start}&limit=1000")).Expect(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(ids.Count * patchesPerWriter, expected.Count);
        foreach (var seen in await Task.WhenAll(readers))
        {
            Assert.Equal(expected, seen);
        }
    }

    [Fact]
    public async Task Each_channel_carries_its_own_events_and_the_project_channel_carries_all()
    {
        var project = await _client.CreateProject();
        await using var media = await TestSocket.ConnectAsync(app, $"/ws/media/{project}", AdminToken);
        await using var everything = await TestSocket.ConnectAsync(app, $"/ws/projects/{project}", AdminToken);
        await media.ReceiveAsync("ready");
        await everything.ReceiveAsync("ready");

        await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_c1"));
        await (await _client.PatchJson($"/api/v1/projects/{project}", new { description = "changed" })).Expect(HttpStatusCode.OK);
        await media.SendAsync(new { type = "ping" });

        // A task naming a new shot makes its episode, sequence and shot first, in the same transaction.
        foreach (var type in new[] { "episode_created", "sequence_created", "shot_created", "task_created", "project_updated" })
        {
            Assert.Equal(type, (await everything.ReceiveAsync()).Str("type"));
        }

        Assert.Equal("pong", (await media.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task The_legacy_shape_renames_the_keys_of_messages_to_snake_case()
    {
        var project = await _client.CreateProject();
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}?api_version=2.0", AdminToken);
        await socket.ReceiveAsync("ready");
        var id = (await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_leg"))).Str("id");
        await (await _client.PatchJson($"/api/v1/tasks/{id}", new { milestoneNote = "for the trailer" })).Expect(HttpStatusCode.OK);

        await socket.ReceiveAsync("task_created");
        var updated = await socket.ReceiveAsync("task_updated");
        Assert.Equal(id, updated.GetProperty("data").Str("task_id"));
        Assert.True(updated.GetProperty("data").GetProperty("changes").TryGetProperty("milestone_note", out _));
    }
}
