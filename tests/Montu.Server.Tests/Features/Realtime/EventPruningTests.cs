using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Features.Realtime;

namespace Montu.Server.Tests.Features.Realtime;

/// <summary>The daily pruning of the event log, on the test clock: old events go, young ones stay, and clients behind the cut are told.</summary>
public sealed class EventPruningTests(EventPruningTests.ClockApp app) : IClassFixture<EventPruningTests.ClockApp>
{
    [Fact]
    public async Task Events_past_the_retention_are_pruned_and_a_client_behind_them_must_resync()
    {
        var project = await app.Client.CreateProject();
        await app.Client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_old"));

        app.Clock.Advance(TimeSpan.FromDays(91));
        await app.SignInAdminAgain();
        var young = (await app.Client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_young"))).Str("id");
        app.Clock.Advance(EventPruning.Every);
        await app.SignInAdminAgain();

        var waited = Stopwatch.StartNew();
        HttpResponseMessage all;
        while ((all = await app.Client.GetAsync($"/api/v1/changes?project_id={project}&since=0")).StatusCode == HttpStatusCode.OK)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "The pruning never ran");
            await Task.Delay(100);
        }

        var gone = await all.ExpectError(HttpStatusCode.Gone, "RESYNC_REQUIRED");
        var oldest = long.Parse(gone.Str("message").Split("the oldest kept is ")[1].TrimEnd(')'), System.Globalization.CultureInfo.InvariantCulture);
        var kept = await (await app.Client.GetAsync($"/api/v1/changes?project_id={project}&since={oldest - 1}")).Expect(HttpStatusCode.OK);
        // The young task and the shot it named, made with it.
        var items = kept.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["shot_created", "task_created"], items.Select(i => i.Str("type")));
        Assert.Equal(young, items[1].Str("entityId"));

        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}?since=1", app.Client.DefaultRequestHeaders.Authorization!.Parameter!);
        var resync = await socket.ReceiveAsync();
        Assert.Equal("resync_required", resync.Str("type"));
        Assert.Equal(oldest, resync.GetProperty("data").GetProperty("oldestSeq").GetInt64());
        Assert.Equal(4409, await socket.ClosedAsync());
    }

    public sealed class ClockApp : TestApp
    {
        public ManualClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }
}
