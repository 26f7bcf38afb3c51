using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Analytics;

/// <summary>
/// Analytics of a seeded history whose every figure is worked out by hand below: durations, delivery
/// against deadlines, the trend, utilisation, overtime, active artists, weekly completions, burndown.
/// </summary>
public sealed class AnalyticsFiguresTests(AnalyticsApp app) : IClassFixture<AnalyticsApp>
{
    private static readonly string[] ReviewIsDone = ["pending_review", "approved"];
    private static readonly string[] UnknownStatus = ["shipped"];
    private static readonly string[] WithoutApproved = ["not_started", "in_progress", "pending_review", "needs_revision", "completed", "on_hold"];
    private static readonly string[] Twice = ["approved", "approved"];
    private readonly HttpClient _admin = app.Client;

    /// <summary>Moves the clock to day <paramref name="day"/> of the period at <paramref name="hour"/>.</summary>
    private void At(DateTimeOffset monday, int day, double hour = 9) => app.Clock.Now = monday.AddDays(day).AddHours(hour);

    private static string Day(DateTimeOffset monday, int day) => monday.AddDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset monday, int day, double hour) =>
        monday.AddDays(day).AddHours(hour).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private async Task<JsonElement> Analytics(string project, string query) =>
        await (await _admin.GetAsync($"/api/v1/projects/{project}/analytics?{query}")).Expect(HttpStatusCode.OK);

    private async Task SetStatus(string task, string status) =>
        await (await _admin.PatchJson($"/api/v1/tasks/{task}", new { status })).Expect(HttpStatusCode.OK);

    private async Task BulkStatus(string status, params string[] tasks) =>
        await (await _admin.PatchJson("/api/v1/tasks/bulk-update", tasks.Select(t => new { taskId = t, updates = new { status } }).ToArray())).Expect(HttpStatusCode.OK);

    private async Task LogHours(string task, string userId, string date, double hours) =>
        await (await _admin.PostJson($"/api/v1/tasks/{task}/time-logs", new { userId, date, hours })).Expect(HttpStatusCode.Created);

    [Fact]
    public async Task A_three_week_history_gives_the_figures_worked_out_by_hand()
    {
        var w = app.NewPeriod();
        At(w, -1, 23);
        var project = await _admin.CreateProject();
        var logger = await app.CreateUser(project, "artist");
        var other = await app.CreateUser(project, "artist");
        var handle = logger.Email[..logger.Email.IndexOf('@')];

        // Day 0 (a Monday), 09:00: six tasks and one that is archived on day 5.
        At(w, 0);
        await _admin.CreateTasks(
        [
            TaskBuilders.NamedTask(project, $"{project}_a", ("task", "lighting"), ("artist", "ana"), ("deadline", Instant(w, 3, 18))),
            TaskBuilders.NamedTask(project, $"{project}_b", ("task", "comp"), ("artist", "ben"), ("status", "in_progress"), ("deadline", Instant(w, 10, 18))),
            TaskBuilders.NamedTask(project, $"{project}_c", ("task", "comp"), ("artist", "cai"), ("deadline", Instant(w, 7, 0))),
            TaskBuilders.NamedTask(project, $"{project}_d", ("task", "lighting"), ("artist", "ANA")),
            TaskBuilders.NamedTask(project, $"{project}_e", ("task", "lighting"), ("status", "approved")),
            TaskBuilders.NamedTask(project, $"{project}_f", ("task", "comp"), ("artist", handle.ToUpperInvariant())),
            TaskBuilders.NamedTask(project, $"{project}_g", ("task", "comp"), ("artist", "gus")),
        ]);
        var (a, b, c, d, f, g) = ($"{project}_a", $"{project}_b", $"{project}_c", $"{project}_d", $"{project}_f", $"{project}_g");
        At(w, 1);
        await SetStatus(a, "in_progress");
        await LogHours(f, logger.Id, Day(w, 1), 10);
        await LogHours(f, other.Id, Day(w, 1), 9.5);
        await LogHours(f, logger.Id, Day(w, 2), 6);
        await LogHours(f, other.Id, Day(w, 5), 4);
        await LogHours(f, logger.Id, Day(w, -1), 7);
        At(w, 2);
        await SetStatus(a, "approved");
        At(w, 5);
        await (await _admin.DeleteAsync($"/api/v1/tasks/{g}")).Expect(HttpStatusCode.OK);
        At(w, 8);
        await BulkStatus("in_progress", c, d);
        At(w, 9, 21);
        await SetStatus(b, "completed");
        At(w, 10, 12);
        await BulkStatus("approved", c);
        At(w, 15);
        await SetStatus(d, "pending_review");
        At(w, 16);
        await SetStatus(d, "approved");
        At(w, 20, 12);

        var all = await Analytics(project, $"from={Day(w, 0)}&to={Day(w, 20)}");

        Assert.Equal(project, all.Str("projectId"));
        Assert.Equal("custom", all.Str("timeRange"));
        Assert.Equal(Day(w, 0), all.Str("from"));
        Assert.Equal(Day(w, 20), all.Str("to"));
        var tasks = all.GetProperty("taskMetrics");
        Assert.Equal(6, tasks.GetProperty("totalTasks").GetInt64());
        Assert.Equal(5, tasks.GetProperty("completedTasks").GetInt64());
        Assert.Equal(83.3, tasks.GetProperty("completionRate").GetDouble());
        // a 24 h (day 1 09:00 → day 2 09:00), b 228 h (created in progress day 0 09:00 → day 9 21:00),
        // c 51 h (day 8 09:00 → day 10 12:00), d 192 h (day 8 09:00 → day 16 09:00): 495 / 4.
        Assert.Equal(123.8, tasks.GetProperty("averageTaskDuration").GetDouble());
        Assert.Equal("""{"approved":4,"completed":1,"not_started":1}""", tasks.GetProperty("tasksByStatus").GetRawText());
        Assert.Equal("""{"comp":3,"lighting":3}""", tasks.GetProperty("tasksByDepartment").GetRawText());
        var performance = all.GetProperty("performanceMetrics");
        // a and b before their deadlines, c 3.5 days after its own, d without one.
        Assert.Equal(66.7, performance.GetProperty("onTimeDelivery").GetDouble());
        Assert.Equal(3.5, performance.GetProperty("averageDelayDays").GetDouble());
        Assert.Equal("stable", performance.Str("productivityTrend"));
        var resources = all.GetProperty("resourceUtilization");
        // ana (a, d: "ANA" is the same handle), ben, cai completed; f is open for the logger's handle; the other logged.
        Assert.Equal(5, resources.GetProperty("activeArtists").GetInt64());
        // 29.5 h logged in the range / (5 × 8 h × 15 working days) = 4.92 %; 2 h + 1.5 h beyond 8 a day.
        Assert.Equal(4.9, resources.GetProperty("utilizationRate").GetDouble());
        Assert.Equal(3.5, resources.GetProperty("overtimeHours").GetDouble());
        var weeks = all.GetProperty("series").GetProperty("completedPerWeek").EnumerateArray()
            .Select(x => (x.Str("weekStart"), x.GetProperty("completed").GetInt64())).ToList();
        Assert.Equal([(Day(w, 0), 1L), (Day(w, 7), 2L), (Day(w, 14), 1L)], weeks);
        var burndown = all.GetProperty("series").GetProperty("burndown").EnumerateArray()
            .Select(x => (x.GetProperty("open").GetInt64(), x.GetProperty("completed").GetInt64())).ToList();
        Assert.Equal(21, burndown.Count);
        Assert.Equal(Day(w, 0), all.GetProperty("series").GetProperty("burndown")[0].Str("date"));
        (long, long)[] expected =
        [
            (6, 1), (6, 1), (5, 2), (5, 2), (5, 2), (4, 2), (4, 2), (4, 2), (4, 2), (3, 3), (2, 4),
            (2, 4), (2, 4), (2, 4), (2, 4), (2, 4), (1, 5), (1, 5), (1, 5), (1, 5), (1, 5),
        ];
        Assert.Equal(expected, burndown);

        // The last week only: d's completion, no deadline, the open task's artist and d's, no hours.
        var week = await Analytics(project, "time_range=last_7_days");
        Assert.Equal("last_7_days", week.Str("timeRange"));
        Assert.Equal(Day(w, 14), week.Str("from"));
        Assert.Equal(192.0, week.GetProperty("taskMetrics").GetProperty("averageTaskDuration").GetDouble());
        Assert.Equal(0.0, week.GetProperty("performanceMetrics").GetProperty("onTimeDelivery").GetDouble());
        Assert.Equal(0.0, week.GetProperty("performanceMetrics").GetProperty("averageDelayDays").GetDouble());
        Assert.Equal(2, week.GetProperty("resourceUtilization").GetProperty("activeArtists").GetInt64());
        Assert.Equal(0.0, week.GetProperty("resourceUtilization").GetProperty("utilizationRate").GetDouble());
        Assert.Single(week.GetProperty("series").GetProperty("completedPerWeek").EnumerateArray());
        Assert.Equal(7, week.GetProperty("series").GetProperty("burndown").GetArrayLength());

        // Ending on day 9, before c and d were completed: the figures as they stood then.
        var earlier = await Analytics(project, $"from={Day(w, 7)}&to={Day(w, 9)}");
        var then = earlier.GetProperty("taskMetrics");
        Assert.Equal(6, then.GetProperty("totalTasks").GetInt64());
        Assert.Equal(3, then.GetProperty("completedTasks").GetInt64());
        Assert.Equal("""{"approved":2,"completed":1,"in_progress":2,"not_started":1}""", then.GetProperty("tasksByStatus").GetRawText());
        Assert.Equal(228.0, then.GetProperty("averageTaskDuration").GetDouble());
        Assert.Equal(100.0, earlier.GetProperty("performanceMetrics").GetProperty("onTimeDelivery").GetDouble());

        // "all" starts on the project's first day: the day before day 0, where the project was created.
        var whole = await Analytics(project, "time_range=all");
        Assert.Equal(Day(w, -1), whole.Str("from"));
        Assert.Equal(22, whole.GetProperty("series").GetProperty("burndown").GetArrayLength());
        Assert.Equal(0, whole.GetProperty("series").GetProperty("burndown")[0].GetProperty("open").GetInt64());
        // The 7 h logged the day before day 0 (a Sunday) count now: 36.5 h / (5 × 8 h × 15 working days).
        Assert.Equal(6.1, whole.GetProperty("resourceUtilization").GetProperty("utilizationRate").GetDouble());
    }

    [Fact]
    public async Task The_trend_follows_the_slope_of_the_weekly_completions()
    {
        var w = app.NewPeriod();
        At(w, 0, 8);
        var project = await _admin.CreateProject();
        var tasks = await _admin.CreateTasks(Enumerable.Range(0, 12).Select(i => TaskBuilders.NamedTask(project, $"{project}_t{i:D2}")));

        // Completions per week: 1, 2, 3, 3, 2, 1.
        var next = 0;
        foreach (var (week, count) in new[] { (0, 1), (1, 2), (2, 3), (3, 3), (4, 2), (5, 1) })
        {
            At(w, (week * 7) + 2);
            await BulkStatus("approved", [.. tasks.Skip(next).Take(count)]);
            next += count;
        }

        At(w, 45);
        string Trend(JsonElement analytics) => analytics.GetProperty("performanceMetrics").Str("productivityTrend");
        Assert.Equal("increasing", Trend(await Analytics(project, $"from={Day(w, 0)}&to={Day(w, 20)}")));
        Assert.Equal("decreasing", Trend(await Analytics(project, $"from={Day(w, 21)}&to={Day(w, 41)}")));
        Assert.Equal("stable", Trend(await Analytics(project, $"from={Day(w, 7)}&to={Day(w, 34)}")));
        // Days 16 to 30 count 3 in the 5 days of their first week, 3 in a whole one, 2 in the 3 days of
        // their last: unscaled, 3, 3, 2 would be decreasing; scaled to 4.2, 3 and 4.67 a week, the slope
        // is +0.23 on a mean of 3.96 (+5.9 %).
        Assert.Equal("increasing", Trend(await Analytics(project, $"from={Day(w, 16)}&to={Day(w, 30)}")));
    }

    [Fact]
    public async Task An_empty_project_has_zeros_and_empty_series()
    {
        app.NewPeriod();
        var project = await _admin.CreateProject();

        var empty = await Analytics(project, "");

        Assert.Equal("last_30_days", empty.Str("timeRange"));
        Assert.Equal("""{"totalTasks":0,"completedTasks":0,"completionRate":0,"averageTaskDuration":0,"tasksByStatus":{},"tasksByDepartment":{}}""",
            empty.GetProperty("taskMetrics").GetRawText());
        Assert.Equal("""{"onTimeDelivery":0,"averageDelayDays":0,"productivityTrend":"stable"}""", empty.GetProperty("performanceMetrics").GetRawText());
        Assert.Equal("""{"activeArtists":0,"utilizationRate":0,"overtimeHours":0}""", empty.GetProperty("resourceUtilization").GetRawText());
        Assert.Equal("""{"completedPerWeek":[],"burndown":[]}""", empty.GetProperty("series").GetRawText());
    }

    [Fact]
    public async Task The_projects_doneStatuses_decide_what_counts_as_completed()
    {
        var w = app.NewPeriod();
        At(w, 0, 8);
        var project = await _admin.CreateProject();
        var created = await (await _admin.GetAsync($"/api/v1/projects/{project}")).Expect(HttpStatusCode.OK);
        Assert.Equal("""["approved","completed"]""", created.GetProperty("doneStatuses").GetRawText());
        At(w, 0, 9);
        var task = (await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_x", ("status", "in_progress")))).Str("id");
        At(w, 1);
        await SetStatus(task, "pending_review");
        At(w, 2);

        var before = await Analytics(project, "time_range=last_7_days");
        Assert.Equal(0, before.GetProperty("taskMetrics").GetProperty("completedTasks").GetInt64());

        await (await _admin.PatchJson($"/api/v1/projects/{project}", new { doneStatuses = ReviewIsDone })).Expect(HttpStatusCode.OK);
        var after = await Analytics(project, "time_range=last_7_days");
        Assert.Equal(1, after.GetProperty("taskMetrics").GetProperty("completedTasks").GetInt64());
        Assert.Equal(24.0, after.GetProperty("taskMetrics").GetProperty("averageTaskDuration").GetDouble());
        var stats = await (await _admin.GetAsync($"/api/v1/projects/{project}/stats")).Expect(HttpStatusCode.OK);
        Assert.Equal(100.0, stats.GetProperty("completionPercentage").GetDouble());

        var unknown = await (await _admin.PatchJson($"/api/v1/projects/{project}", new { doneStatuses = UnknownStatus }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("doneStatuses", unknown.Fields());
        var removed = await (await _admin.PatchJson($"/api/v1/projects/{project}", new { taskStatuses = WithoutApproved }))
            .Expect(HttpStatusCode.OK);
        Assert.Equal("""["pending_review"]""", removed.GetProperty("doneStatuses").GetRawText());
        var twice = await (await _admin.PatchJson($"/api/v1/projects/{project}", new { doneStatuses = Twice }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("doneStatuses", twice.Fields());
        var own = Builders.Project(Builders.NewProjectId());
        own["taskStatuses"] = new[] { "todo", "doing", "approved" };
        var made = await (await _admin.PostJson("/api/v1/projects", own)).Expect(HttpStatusCode.Created);
        Assert.Equal("""["approved"]""", made.GetProperty("doneStatuses").GetRawText());
    }
}
