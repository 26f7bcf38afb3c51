using System.Net;
using Dapper;

namespace Montu.Server.Tests.Features.Analytics;

/// <summary>Analytics requests: the range's validation, the cache kept until the project changes, and who may ask.</summary>
public sealed class AnalyticsRequestTests(AnalyticsApp app) : IClassFixture<AnalyticsApp>
{
    private readonly HttpClient _admin = app.Client;

    [Theory]
    [InlineData("time_range=last_week", "time_range", "INVALID_VALUE")]
    [InlineData("time_range=all&from=2030-01-01", "time_range", "INVALID_VALUE")]
    [InlineData("time_range=last_7_days&to=2030-01-01", "time_range", "INVALID_VALUE")]
    [InlineData("from=2030-13-01", "from", "INVALID_FORMAT")]
    [InlineData("to=yesterday", "to", "INVALID_FORMAT")]
    [InlineData("from=2030-02-01&to=2030-01-31", "from", "OUT_OF_RANGE")]
    [InlineData("from=2000-01-01&to=2030-01-01", "from", "OUT_OF_RANGE")]
    [InlineData("from=1969-12-31&to=1970-01-02", "from", "OUT_OF_RANGE")]
    [InlineData("to=9999-12-31", "to", "OUT_OF_RANGE")]
    public async Task A_bad_range_is_400_naming_the_parameter(string query, string field, string code)
    {
        var project = await _admin.CreateProject();

        var error = await (await _admin.GetAsync($"/api/v1/projects/{project}/analytics?{query}")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal(field, detail.Str("field"));
        Assert.Equal(code, detail.Str("code"));
    }

    [Fact]
    public async Task From_or_to_alone_takes_the_projects_first_day_or_today()
    {
        var monday = app.NewPeriod();
        var project = await _admin.CreateProject();
        app.Clock.Now = monday.AddDays(3);
        var today = monday.AddDays(3).ToString("yyyy-MM-dd");
        var first = monday.ToString("yyyy-MM-dd");

        var untilToday = await (await _admin.GetAsync($"/api/v1/projects/{project}/analytics?from={first}")).Expect(HttpStatusCode.OK);
        var sinceStart = await (await _admin.GetAsync($"/api/v1/projects/{project}/analytics?to={today}")).Expect(HttpStatusCode.OK);

        Assert.Equal((first, today), (untilToday.Str("from"), untilToday.Str("to")));
        Assert.Equal((first, today), (sinceStart.Str("from"), sinceStart.Str("to")));
        Assert.Equal("custom", sinceStart.Str("timeRange"));
    }

    [Fact]
    public async Task The_answer_is_kept_until_the_project_changes_or_the_day_does()
    {
        var monday = app.NewPeriod();
        var project = await _admin.CreateProject();
        await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_one", ("task", "lighting")));
        var url = $"/api/v1/projects/{project}/analytics?time_range=last_7_days";
        var first = await (await _admin.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal("""{"lighting":1}""", first.GetProperty("taskMetrics").GetProperty("tasksByDepartment").GetRawText());

        // Behind the API's back, so no event: the kept answer is served.
        await using (var connection = await app.Db.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE tasks SET task = 'comp' WHERE id = @id", new { id = $"{project}_one" });
        }

        var cached = await (await _admin.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal(first.GetRawText(), cached.GetRawText());

        await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_two", ("task", "lighting")));
        var changed = await (await _admin.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal("""{"comp":1,"lighting":1}""", changed.GetProperty("taskMetrics").GetProperty("tasksByDepartment").GetRawText());

        app.Clock.Now = monday.AddDays(1);
        var nextDay = await (await _admin.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal((monday.AddDays(-5).ToString("yyyy-MM-dd"), monday.AddDays(1).ToString("yyyy-MM-dd")), (nextDay.Str("from"), nextDay.Str("to")));
        Assert.Equal(changed.GetProperty("taskMetrics").GetRawText(), nextDay.GetProperty("taskMetrics").GetRawText());
    }

    [Fact]
    public async Task Members_who_read_the_project_may_ask_and_others_find_no_project()
    {
        app.NewPeriod();
        var project = await _admin.CreateProject();
        var client = await app.CreateUser(project, "client");
        var outsider = await app.CreateUser(await _admin.CreateProject(), "producer");

        await (await client.Client.GetAsync($"/api/v1/projects/{project}/analytics")).Expect(HttpStatusCode.OK);
        await (await outsider.Client.GetAsync($"/api/v1/projects/{project}/analytics")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await app.Anonymous().GetAsync($"/api/v1/projects/{project}/analytics")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await _admin.GetAsync("/api/v1/projects/NO_SUCH_PROJECT/analytics")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
