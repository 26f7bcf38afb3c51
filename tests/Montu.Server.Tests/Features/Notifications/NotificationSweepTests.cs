using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Data;
using Montu.Server.Features.Notifications;

namespace Montu.Server.Tests.Features.Notifications;

/// <summary>The quarter-hourly sweep on the test clock: expired notifications go, and a deadline within a day is told once.</summary>
public sealed class NotificationSweepTests(NotificationSweepTests.ClockApp app) : IClassFixture<NotificationSweepTests.ClockApp>
{
    private readonly HttpClient _admin = app.Client;

    private async Task<long> StoredAsync(string id)
    {
        await using var connection = await app.Services.GetRequiredService<Db>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE id = @id", new { id });
    }

    private static async Task<List<JsonElement>> InboxAsync(TestUser user) =>
        [.. (await (await user.Client.GetAsync("/api/v1/notifications")).Expect(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];

    /// <summary>Moves the clock past the next sweep and waits until <paramref name="done"/> holds.</summary>
    private async Task SweepUntilAsync(Func<Task<bool>> done)
    {
        app.Clock.Advance(NotificationSweep.Every);
        await app.SignInAdminAgain();
        var waited = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "The sweep never ran");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_expired_notification_is_never_listed_and_the_sweep_removes_it()
    {
        var user = await app.CreateUser();
        var expires = app.Clock.GetUtcNow().AddMinutes(5);
        var id = (await (await _admin.PostJson("/api/v1/notifications", new { userId = user.Id, type = "short", title = "Soon gone", message = "m", expiresAt = expires }))
            .Expect(HttpStatusCode.Created)).GetProperty("items")[0].Str("id");
        Assert.Single(await InboxAsync(user));

        app.Clock.Advance(TimeSpan.FromMinutes(6));
        user = user with { Client = app.WithToken((await app.Anonymous().Login(user.Email, user.Password)).AccessToken) };
        Assert.Empty(await InboxAsync(user));
        Assert.Equal(1, await StoredAsync(id));

        await SweepUntilAsync(async () => await StoredAsync(id) == 0);
    }

    [Fact]
    public async Task An_open_task_due_within_a_day_tells_its_artist_once_per_deadline()
    {
        var project = await _admin.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        var task = (await _admin.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var done = (await _admin.CreateTask(TaskBuilders.ShotTask(project, shot: "SH0030"))).Str("id");
        var later = (await _admin.CreateTask(TaskBuilders.ShotTask(project, shot: "SH0040"))).Str("id");
        var now = app.Clock.GetUtcNow();
        await (await _admin.PatchJson($"/api/v1/tasks/{task}", new { artist = artist.Id, deadline = now.AddHours(20) })).Expect(HttpStatusCode.OK);
        await (await _admin.PatchJson($"/api/v1/tasks/{done}", new { artist = artist.Id, deadline = now.AddHours(20), status = "approved" })).Expect(HttpStatusCode.OK);
        await (await _admin.PatchJson($"/api/v1/tasks/{later}", new { artist = artist.Id, deadline = now.AddDays(3) })).Expect(HttpStatusCode.OK);
        var artistClient = artist.Client;
        async Task<List<JsonElement>> RemindersAsync() =>
            [.. (await (await artistClient.GetAsync("/api/v1/notifications?type=deadline_approaching")).Expect(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];

        await SweepUntilAsync(async () =>
        {
            artistClient = app.WithToken((await app.Anonymous().Login(artist.Email, artist.Password)).AccessToken);
            return (await RemindersAsync()).Count > 0;
        });
        var reminder = Assert.Single(await RemindersAsync());
        Assert.Equal(("Deadline Approaching", "high", task), (reminder.Str("title"), reminder.Str("priority"), reminder.GetProperty("data").Str("taskId")));
        Assert.StartsWith("Lighting task for SH0020 is due ", reminder.Str("message"), StringComparison.Ordinal);

        await (await artistClient.DeleteAsync($"/api/v1/notifications/{reminder.Str("id")}")).Expect(HttpStatusCode.NoContent);
        var swept = await SweepsDoneAsync();
        await SweepUntilAsync(async () => await SweepsDoneAsync() > swept);
        artistClient = app.WithToken((await app.Anonymous().Login(artist.Email, artist.Password)).AccessToken);
        Assert.Empty(await RemindersAsync());

        await (await _admin.PatchJson($"/api/v1/tasks/{task}", new { deadline = app.Clock.GetUtcNow().AddHours(10) })).Expect(HttpStatusCode.OK);
        await SweepUntilAsync(async () =>
        {
            artistClient = app.WithToken((await app.Anonymous().Login(artist.Email, artist.Password)).AccessToken);
            return (await RemindersAsync()).Count > 0;
        });
        Assert.Equal(task, Assert.Single(await RemindersAsync()).GetProperty("data").Str("taskId"));
    }

    private async Task<long> SweepsDoneAsync()
    {
        await using var connection = await app.Services.GetRequiredService<Db>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE kind = @kind AND status = 'completed'", new { kind = NotificationSweep.JobKind });
    }

    public sealed class ClockApp : TestApp
    {
        public ManualClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }
}
