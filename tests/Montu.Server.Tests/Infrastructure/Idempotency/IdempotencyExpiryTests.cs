using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Infrastructure.Idempotency;

namespace Montu.Server.Tests.Infrastructure.Idempotency;

/// <summary>Keys end 24 hours after their first request, and a claim nobody renews ends after a minute: on the test clock.</summary>
public sealed class IdempotencyExpiryTests(IdempotencyExpiryTests.ClockApp app) : IClassFixture<IdempotencyExpiryTests.ClockApp>
{
    private static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task After_24_hours_a_key_runs_again_and_the_sweep_deletes_expired_keys()
    {
        await app.SignInAdminAgain();
        var project = await app.Client.CreateProject();
        var id = (await app.Client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var (repeated, forgotten) = (NewKey(), NewKey());
        await (await app.Client.PatchKeyed($"/api/v1/tasks/{id}", new { status = "in_progress" }, repeated)).ExpectFirstRun(HttpStatusCode.OK);
        await (await app.Client.PatchKeyed($"/api/v1/tasks/{id}", new { description = "Rain" }, forgotten)).ExpectFirstRun(HttpStatusCode.OK);
        await (await app.Client.PatchJson($"/api/v1/tasks/{id}", new { status = "approved" })).Expect(HttpStatusCode.OK);

        await Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1));
        var replayed = await (await app.Client.PatchKeyed($"/api/v1/tasks/{id}", new { status = "in_progress" }, repeated)).ExpectReplay(HttpStatusCode.OK);
        await Advance(TimeSpan.FromMinutes(2));
        var ranAgain = await (await app.Client.PatchKeyed($"/api/v1/tasks/{id}", new { status = "in_progress" }, repeated)).ExpectFirstRun(HttpStatusCode.OK);

        Assert.Equal("in_progress", replayed.Str("status"));
        Assert.Equal("in_progress", ranAgain.Str("status"));
        Assert.Equal("in_progress", (await app.Client.GetTask(id)).Str("status"));

        // Past the next sweep's time, whenever the last one ran.
        await Advance(IdempotencySweep.Every);
        var waited = Stopwatch.StartNew();
        while (await app.KeyRows(forgotten) > 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "The sweep never deleted the expired key");
            await Task.Delay(50);
        }

        Assert.Equal(1, await app.KeyRows(repeated));
    }

    [Fact]
    public async Task A_claim_not_renewed_for_a_minute_is_taken_over_by_the_next_repeat()
    {
        await app.SignInAdminAgain();
        var project = await app.Client.CreateProject();
        var task = (await app.Client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var key = NewKey();
        var (stalled, upload) = await app.StartHeldUpload(task, key);
        await app.UntilClaimed(key);
        await (await app.Client.UploadKeyed(task, key)).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        // As if the server running the first request had died: its claim is not renewed in time.
        await Advance(TimeSpan.FromSeconds(61));
        var retried = await (await app.Client.UploadKeyed(task, key)).ExpectFirstRun(HttpStatusCode.Created);
        upload.Release();
        await (await stalled).ExpectFirstRun(HttpStatusCode.Created);
        var replayed = await (await app.Client.UploadKeyed(task, key)).ExpectReplay(HttpStatusCode.Created);

        Assert.Equal(retried.Str("id"), replayed.Str("id"));
        Assert.Contains(app.Logs.Lines, l => l.Text.Contains("was taken over while its request ran", StringComparison.Ordinal));
    }

    private async Task Advance(TimeSpan by)
    {
        app.Clock.Now += by;
        await app.SignInAdminAgain();
    }

    public sealed class ClockApp : TestApp
    {
        public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }
}
