using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.TimeLogs;

/// <summary>Time logs through HTTP: who logs for whom, the bounds, the 24-hour day, and the task's sum kept with them.</summary>
public sealed class TimeLogTests(TestApp app) : IClassFixture<TestApp>
{
    private const string List = "/api/v1/time-logs";
    private readonly HttpClient _admin = app.Client;

    private static string LogsOf(string task) => $"/api/v1/tasks/{task}/time-logs";

    private async Task<(string Project, string Task)> ShotAsync()
    {
        var project = await _admin.CreateProject();
        return (project, (await _admin.CreateTask(TaskBuilders.ShotTask(project))).Str("id"));
    }

    /// <summary>A member of the project in <paramref name="role"/>, with the task assigned to them.</summary>
    private async Task<TestUser> AssigneeAsync(string project, string task, string role = "artist")
    {
        var user = await app.CreateUser(project, role);
        await (await _admin.PatchJson($"/api/v1/tasks/{task}", new { artist = user.Id })).Expect(HttpStatusCode.OK);
        return user;
    }

    private async Task<long> HeadAsync(string project) =>
        (await (await _admin.GetAsync($"/api/v1/changes?project_id={project}&since=0")).Expect(HttpStatusCode.OK)).GetProperty("nextSince").GetInt64();

    private async Task<List<JsonElement>> ChangesAsync(string project, long since) =>
        (await (await _admin.GetAsync($"/api/v1/changes?project_id={project}&since={since}")).Expect(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToList();

    private static async Task<JsonElement> Log(HttpClient client, string task, object body) =>
        await (await client.PostJson(LogsOf(task), body)).Expect(HttpStatusCode.Created);

    [Fact]
    public async Task An_artist_logs_their_own_hours_and_the_task_sums_them_in_the_same_change()
    {
        var (project, task) = await ShotAsync();
        var artist = await AssigneeAsync(project, task);
        var before = await _admin.GetTask(task);
        var head = await HeadAsync(project);

        var response = await artist.Client.PostJson(LogsOf(task), new { date = "2026-12-01", hours = 7.5, note = "blocking" });
        var log = await response.Expect(HttpStatusCode.Created);

        Assert.StartsWith("tlog_", log.Str("id"));
        Assert.Equal((task, project, artist.Id, artist.Id, "2026-12-01", 7.5m, "blocking", 1),
            (log.Str("taskId"), log.Str("projectId"), log.Str("userId"), log.Str("createdBy"), log.Str("date"), log.GetProperty("hours").GetDecimal(),
             log.Str("note"), log.GetProperty("revision").GetInt32()));
        Assert.Equal("\"1\"", response.ETag());
        Assert.Equal($"/api/v1/time-logs/{log.Str("id")}", response.Headers.Location?.ToString());
        var after = await _admin.GetTask(task);
        Assert.Equal(7.5, after.GetProperty("actualTimeLogged").GetDouble());
        Assert.Equal(before.GetProperty("revision").GetInt32() + 1, after.GetProperty("revision").GetInt32());
        var changes = await ChangesAsync(project, head);
        Assert.Equal(["time_log_created", "task_updated"], changes.Select(c => c.Str("type")));
        Assert.Equal(("time_log", log.Str("id")), (changes[0].Str("entityType"), changes[0].Str("entityId")));
        Assert.Equal(7.5, changes[1].GetProperty("data").GetProperty("changes").GetProperty("actualTimeLogged").GetDouble());
        Assert.Equal(0, changes[1].GetProperty("data").GetProperty("previous").GetProperty("actualTimeLogged").GetDouble());
    }

    [Fact]
    public async Task A_supervisor_logs_for_a_member_and_an_artist_only_for_themselves_on_their_task()
    {
        var (project, task) = await ShotAsync();
        var unassigned = (await _admin.CreateTask(TaskBuilders.ShotTask(project, shot: "SH0090"))).Str("id");
        var artist = await AssigneeAsync(project, task);
        var other = await app.CreateUser(project, "artist");
        var supervisor = await app.CreateUser(project, "supervisor");
        var stranger = await app.CreateUser();

        var forArtist = await Log(supervisor.Client, task, new { date = "2026-12-01", hours = 2, userId = artist.Id });
        var forbidden = await (await artist.Client.PostJson(LogsOf(task), new { date = "2026-12-01", hours = 2, userId = other.Id }))
            .ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        var notMember = await (await supervisor.Client.PostJson(LogsOf(task), new { date = "2026-12-01", hours = 2, userId = stranger.Id }))
            .ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        var me = await Log(artist.Client, task, new { date = "2026-12-01", hours = 1, userId = "me" });
        var notTheirs = await (await artist.Client.PostJson(LogsOf(unassigned), new { date = "2026-12-01", hours = 1 })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await Log(supervisor.Client, unassigned, new { date = "2026-12-01", hours = 1 });

        Assert.Equal((artist.Id, supervisor.Id), (forArtist.Str("userId"), forArtist.Str("createdBy")));
        Assert.Equal("userId", forbidden.GetProperty("details")[0].Str("field"));
        Assert.Contains("not a member", notMember.Str("message"));
        Assert.Equal(artist.Id, me.Str("userId"));
        Assert.Contains("assigned to nobody", notTheirs.Str("message"));
        Assert.Equal(3, (await _admin.GetTask(task)).GetProperty("actualTimeLogged").GetDouble());
    }

    [Fact]
    public async Task Viewers_are_refused_and_outsiders_are_told_nothing_exists()
    {
        var (project, task) = await ShotAsync();
        var log = await Log(_admin, task, new { date = "2026-12-01", hours = 1 });
        var viewer = await app.CreateUser(project, "viewer");
        var outsider = await app.CreateUser(await _admin.CreateProject(), "supervisor");
        var url = $"{List}/{log.Str("id")}";

        await (await viewer.Client.PostJson(LogsOf(task), new { date = "2026-12-01", hours = 1 })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await viewer.Client.PatchJson(url, new { hours = 2 })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        var seen = await (await viewer.Client.GetAsync($"{List}?task_id={task}")).Expect(HttpStatusCode.OK);
        await (await outsider.Client.PostJson(LogsOf(task), new { date = "2026-12-01", hours = 1 })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await outsider.Client.PatchJson(url, new { hours = 2 })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await outsider.Client.DeleteAsync(url)).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await outsider.Client.GetAsync($"{List}?project_id={project}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var hidden = await (await outsider.Client.GetAsync($"{List}?task_id={task}")).Expect(HttpStatusCode.OK);

        Assert.Equal([log.Str("id")], seen.Ids());
        Assert.Empty(hidden.Ids());
        Assert.Equal(1, (await _admin.GetTask(task)).GetProperty("actualTimeLogged").GetDouble());
    }

    [Fact]
    public async Task Only_its_user_its_writer_or_write_on_the_project_change_a_log()
    {
        var (project, task) = await ShotAsync();
        var artist = await AssigneeAsync(project, task);
        var colleague = await app.CreateUser(project, "artist");
        var supervisor = await app.CreateUser(project, "supervisor");
        var id = (await Log(artist.Client, task, new { date = "2026-12-01", hours = 1 })).Str("id");

        await (await colleague.Client.PatchJson($"{List}/{id}", new { hours = 5 })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await colleague.Client.DeleteAsync($"{List}/{id}")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        var own = await (await artist.Client.PatchJson($"{List}/{id}", new { hours = 2 })).Expect(HttpStatusCode.OK);
        var bySupervisor = await (await supervisor.Client.PatchJson($"{List}/{id}", new { note = "checked" })).Expect(HttpStatusCode.OK);

        Assert.Equal((2m, 2), (own.GetProperty("hours").GetDecimal(), own.GetProperty("revision").GetInt32()));
        Assert.Equal(("checked", 3), (bySupervisor.Str("note"), bySupervisor.GetProperty("revision").GetInt32()));
        Assert.Equal(2, (await _admin.GetTask(task)).GetProperty("actualTimeLogged").GetDouble());
    }

    [Theory]
    [InlineData("""{"date": "2026-12-01", "hours": 0}""", "hours", "OUT_OF_RANGE")]
    [InlineData("""{"date": "2026-12-01", "hours": -1}""", "hours", "OUT_OF_RANGE")]
    [InlineData("""{"date": "2026-12-01", "hours": 24.01}""", "hours", "OUT_OF_RANGE")]
    [InlineData("""{"date": "2026-12-01", "hours": 1.005}""", "hours", "INVALID_FORMAT")]
    [InlineData("""{"date": "2026-12-01"}""", "hours", "REQUIRED_FIELD")]
    [InlineData("""{"date": "2026-13-01", "hours": 1}""", "date", "INVALID_FORMAT")]
    [InlineData("""{"date": "01/12/2026", "hours": 1}""", "date", "INVALID_FORMAT")]
    [InlineData("""{"date": "2026-12-01T10:00:00Z", "hours": 1}""", "date", "INVALID_FORMAT")]
    [InlineData("""{"hours": 1}""", "date", "REQUIRED_FIELD")]
    public async Task Hours_and_days_out_of_bounds_are_400_naming_the_field(string body, string field, string code)
    {
        var (_, task) = await ShotAsync();

        var error = await (await _admin.PostRaw(LogsOf(task), body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal((field, code), (detail.Str("field"), detail.Str("code")));
        Assert.Equal(0, (await _admin.GetTask(task)).GetProperty("actualTimeLogged").GetDouble());
    }

    [Fact]
    public async Task A_day_holds_24_hours_of_one_user_over_all_tasks_and_projects()
    {
        var (_, first) = await ShotAsync();
        var (_, second) = await ShotAsync();
        await Log(_admin, first, new { date = "2026-11-02", hours = 20 });

        var error = await (await _admin.PostJson(LogsOf(second), new { date = "2026-11-02", hours = 4.5 }))
            .ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        await Log(_admin, second, new { date = "2026-11-03", hours = 4.5 });
        var last = await Log(_admin, second, new { date = "2026-11-02", hours = 4 });
        var moved = await (await _admin.PatchJson($"{List}/{last.Str("id")}", new { date = "2026-11-03", hours = 20 }))
            .ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        Assert.Contains("already logged 20 h on 2026-11-02", error.Str("message"));
        Assert.Contains("24.5", error.Str("message"));
        Assert.Equal("hours", error.GetProperty("details")[0].Str("field"));
        Assert.Contains("already logged 4.5 h on 2026-11-03", moved.Str("message"));
        Assert.Equal(8.5, (await _admin.GetTask(second)).GetProperty("actualTimeLogged").GetDouble());
    }

    [Fact]
    public async Task Hundredths_add_up_exactly_in_the_task_and_in_the_day()
    {
        var (_, task) = await ShotAsync();
        for (var i = 0; i < 10; i++)
        {
            await Log(_admin, task, new { date = "2026-11-04", hours = 0.1 });
        }

        Assert.Equal(1.0, (await _admin.GetTask(task)).GetProperty("actualTimeLogged").GetDouble());
        await Log(_admin, task, new { date = "2026-11-04", hours = 22.99 });
        await Log(_admin, task, new { date = "2026-11-04", hours = 0.01 });
        await (await _admin.PostJson(LogsOf(task), new { date = "2026-11-04", hours = 0.01 })).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        Assert.Equal(24.0, (await _admin.GetTask(task)).GetProperty("actualTimeLogged").GetDouble());
    }

    [Fact]
    public async Task Changing_and_deleting_a_log_moves_the_sum_with_revisions_and_events()
    {
        var (project, task) = await ShotAsync();
        var keep = await Log(_admin, task, new { date = "2026-11-05", hours = 3 });
        var log = await Log(_admin, task, new { date = "2026-11-05", hours = 2 });
        var url = $"{List}/{log.Str("id")}";
        var head = await HeadAsync(project);

        await (await _admin.SendWith(HttpMethod.Patch, url, new { hours = 4 }, ("If-Match", "\"7\""))).ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        var patched = await _admin.SendWith(HttpMethod.Patch, url, new { hours = 4.25, note = "comp" }, ("If-Match", "\"1\""));
        var changed = await patched.Expect(HttpStatusCode.OK);
        var taskAfterPatch = await _admin.GetTask(task);
        await (await _admin.SendWith(HttpMethod.Delete, url, null, ("If-Match", "\"1\""))).ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        var deleted = await _admin.SendWith(HttpMethod.Delete, url, null, ("If-Match", "\"2\""));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal("\"2\"", patched.ETag());
        Assert.Equal((4.25m, "comp"), (changed.GetProperty("hours").GetDecimal(), changed.Str("note")));
        Assert.Equal(7.25, taskAfterPatch.GetProperty("actualTimeLogged").GetDouble());
        var taskAfterDelete = await _admin.GetTask(task);
        Assert.Equal(3, taskAfterDelete.GetProperty("actualTimeLogged").GetDouble());
        Assert.Equal(taskAfterPatch.GetProperty("revision").GetInt32() + 1, taskAfterDelete.GetProperty("revision").GetInt32());
        await (await _admin.PatchJson(url, new { hours = 1 })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var changes = await ChangesAsync(project, head);
        Assert.Equal(["time_log_updated", "task_updated", "time_log_deleted", "task_updated"], changes.Select(c => c.Str("type")));
        var update = changes[0].GetProperty("data");
        Assert.Equal((4.25m, 2m, 2), (update.GetProperty("changes").GetProperty("hours").GetDecimal(), update.GetProperty("previous").GetProperty("hours").GetDecimal(),
            update.GetProperty("revision").GetInt32()));
        Assert.Equal(3, changes[3].GetProperty("data").GetProperty("changes").GetProperty("actualTimeLogged").GetDouble());
        Assert.Equal([keep.Str("id")], (await (await _admin.GetAsync($"{List}?task_id={task}")).Expect(HttpStatusCode.OK)).Ids());
    }

    [Fact]
    public async Task A_note_only_change_leaves_the_task_alone()
    {
        var (_, task) = await ShotAsync();
        var log = await Log(_admin, task, new { date = "2026-11-06", hours = 1, note = "x" });
        var revision = (await _admin.GetTask(task)).GetProperty("revision").GetInt32();

        var changed = await (await _admin.PatchJson($"{List}/{log.Str("id")}", new { note = "" })).Expect(HttpStatusCode.OK);
        var same = await (await _admin.PatchJson($"{List}/{log.Str("id")}", new { hours = 1 })).Expect(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, changed.GetProperty("note").ValueKind);
        Assert.Equal((2, 2), (changed.GetProperty("revision").GetInt32(), same.GetProperty("revision").GetInt32()));
        Assert.Equal(revision, (await _admin.GetTask(task)).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task Task_writes_keep_actualTimeLogged_as_the_logs_sum()
    {
        var (project, task) = await ShotAsync();
        await Log(_admin, task, new { date = "2026-11-07", hours = 1.5 });

        var refused = await (await _admin.PatchJson($"/api/v1/tasks/{task}", new { actualTimeLogged = 9 }))
            .ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        var same = await (await _admin.PatchJson($"/api/v1/tasks/{task}", new { actualTimeLogged = 1.5, description = "kept" })).Expect(HttpStatusCode.OK);
        var bulk = await (await _admin.PatchJson("/api/v1/tasks/bulk-update", new object[] { new { taskId = task, updates = new { actualTimeLogged = 2 } } }))
            .Expect(HttpStatusCode.OK);
        var body = TaskBuilders.ShotTask(project, shot: "SH0030");
        body["actualTimeLogged"] = 4;
        var created = await (await _admin.PostJson("/api/v1/tasks", body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Contains("POST /tasks/{id}/time-logs", refused.Str("message"));
        Assert.Contains("/time-logs/{id}", refused.Str("message"));
        Assert.Equal("actualTimeLogged", refused.GetProperty("details")[0].Str("field"));
        Assert.Equal(("kept", 1.5), (same.Str("description"), same.GetProperty("actualTimeLogged").GetDouble()));
        Assert.Equal("actualTimeLogged", bulk.GetProperty("errors")[0].GetProperty("details")[0].Str("field"));
        Assert.Equal("actualTimeLogged", created.GetProperty("details")[0].Str("field"));
        Assert.Equal(1.5, (await _admin.GetTask(task)).GetProperty("actualTimeLogged").GetDouble());
    }

    [Fact]
    public async Task Archived_tasks_and_projects_take_no_logs()
    {
        var (project, task) = await ShotAsync();
        var log = await Log(_admin, task, new { date = "2026-11-08", hours = 1 });
        await (await _admin.DeleteAsync($"/api/v1/tasks/{task}")).Expect(HttpStatusCode.OK);

        await (await _admin.PostJson(LogsOf(task), new { date = "2026-11-08", hours = 1 })).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        await (await _admin.DeleteAsync($"{List}/{log.Str("id")}")).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        await (await _admin.PostAsync($"/api/v1/tasks/{task}/restore", null)).Expect(HttpStatusCode.OK);
        await (await _admin.DeleteAsync($"/api/v1/projects/{project}")).Expect(HttpStatusCode.OK);
        var error = await (await _admin.PostJson(LogsOf(task), new { date = "2026-11-08", hours = 1 })).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        Assert.Contains("archived", error.Str("message"));
        Assert.Equal(1, (await _admin.GetTask(task)).GetProperty("actualTimeLogged").GetDouble());
    }

    [Fact]
    public async Task Lists_filter_by_project_user_task_and_days_a_page_at_a_time()
    {
        var (project, task) = await ShotAsync();
        var other = (await _admin.CreateTask(TaskBuilders.ShotTask(project, shot: "SH0040"))).Str("id");
        var artist = await AssigneeAsync(project, task);
        await (await _admin.PatchJson($"/api/v1/tasks/{other}", new { artist = artist.Id })).Expect(HttpStatusCode.OK);
        var a = await Log(artist.Client, task, new { date = "2026-10-01", hours = 1 });
        var b = await Log(artist.Client, other, new { date = "2026-10-02", hours = 1 });
        var c = await Log(_admin, task, new { date = "2026-10-03", hours = 1 });
        var d = await Log(artist.Client, task, new { date = "2026-10-04", hours = 1 });

        async Task<JsonElement> Get(HttpClient client, string query) => await (await client.GetAsync($"{List}?{query}")).Expect(HttpStatusCode.OK);

        Assert.Equal(new[] { d, c, b, a }.Select(l => l.Str("id")), (await Get(_admin, $"project_id={project}")).Ids());
        Assert.Equal(new[] { d, b, a }.Select(l => l.Str("id")), (await Get(artist.Client, $"project_id={project}&user=me")).Ids());
        Assert.Equal(new[] { d, c, a }.Select(l => l.Str("id")), (await Get(_admin, $"task_id={task}")).Ids());
        Assert.Equal(new[] { b, c }.Select(l => l.Str("id")), (await Get(_admin, $"project_id={project}&from=2026-10-02&to=2026-10-03&order=asc")).Ids());
        var filtered = await Get(artist.Client, $"project_id={project}&user=me");
        Assert.Equal(artist.Id, filtered.GetProperty("filtersApplied").Str("user"));
        var first = await Get(_admin, $"project_id={project}&page_size=3");
        var second = await Get(_admin, $"project_id={project}&page_size=3&cursor={first.Str("nextCursor")}");
        Assert.Equal((4, 2), (first.GetProperty("total").GetInt64(), first.GetProperty("totalPages").GetInt64()));
        Assert.Equal([a.Str("id")], second.Ids());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        var error = await (await _admin.GetAsync($"{List}?from=yesterday")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("from", error.GetProperty("details")[0].Str("field"));
        await (await _admin.GetAsync($"{List}?project_id={project}&order=asc&cursor={first.Str("nextCursor")}")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Two_logs_racing_for_one_day_cannot_both_pass_24_hours()
    {
        var (project, first) = await ShotAsync();
        var second = (await _admin.CreateTask(TaskBuilders.ShotTask(project, shot: "SH0050"))).Str("id");
        var artist = await AssigneeAsync(project, first);
        await (await _admin.PatchJson($"/api/v1/tasks/{second}", new { artist = artist.Id })).Expect(HttpStatusCode.OK);

        for (var round = 0; round < 5; round++)
        {
            var date = $"2026-09-{round + 1:D2}";
            var answers = await Task.WhenAll(
                artist.Client.PostJson(LogsOf(first), new { date, hours = 13 }),
                artist.Client.PostJson(LogsOf(second), new { date, hours = 13 }));

            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity], answers.Select(a => a.StatusCode).Order());
            var day = await (await _admin.GetAsync($"{List}?user={artist.Id}&from={date}&to={date}")).Expect(HttpStatusCode.OK);
            Assert.Equal(1, day.GetProperty("total").GetInt64());
        }

        var sum = (await _admin.GetTask(first)).GetProperty("actualTimeLogged").GetDouble() + (await _admin.GetTask(second)).GetProperty("actualTimeLogged").GetDouble();
        Assert.Equal(5 * 13, sum);
    }
}
