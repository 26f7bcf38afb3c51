using System.Net;

namespace Montu.Server.Tests.Features.Tasks;

public sealed class TaskAccessTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    [Fact]
    public async Task An_artist_updates_a_task_assigned_to_their_handle()
    {
        var projectId = await _admin.CreateProject();
        var artist = await app.CreateUser(projectId, "artist");
        var handle = artist.Email[..artist.Email.IndexOf('@')];
        var task = await _admin.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_mine", ("artist", handle)));

        var updated = await (await artist.Client.PatchJson($"/api/v1/tasks/{task.Str("id")}", new { status = "in_progress", renderNotes = "v2 lit" }))
            .Expect(HttpStatusCode.OK);

        Assert.Equal("in_progress", updated.Str("status"));
        Assert.Equal("v2 lit", updated.GetProperty("customFields").Str("renderNotes"));
    }

    [Fact]
    public async Task An_artist_cannot_change_someone_elses_task_or_reassign_their_own()
    {
        var projectId = await _admin.CreateProject();
        var artist = await app.CreateUser(projectId, "artist");
        var theirs = await _admin.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_theirs", ("artist", "someone_else")));
        var mine = await _admin.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_mine", ("artist", artist.Email)));

        var other = await (await artist.Client.PatchJson($"/api/v1/tasks/{theirs.Str("id")}", new { status = "completed" }))
            .ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        var reassign = await (await artist.Client.PatchJson($"/api/v1/tasks/{mine.Str("id")}", new { artist = "friend" }))
            .ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await artist.Client.DeleteAsync($"/api/v1/tasks/{mine.Str("id")}")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");

        Assert.Contains("someone_else", other.Str("message"));
        Assert.Equal(["artist"], reassign.Fields());
        Assert.Equal("not_started", (await _admin.GetTask(theirs.Str("id"))).Str("status"));
        Assert.Equal(artist.Email, (await _admin.GetTask(mine.Str("id"))).Str("artist"));
    }

    [Fact]
    public async Task A_supervisor_changes_any_task_of_the_project()
    {
        var projectId = await _admin.CreateProject();
        var supervisor = await app.CreateUser(projectId, "supervisor");
        var task = await _admin.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_t", ("artist", "ana")));

        var updated = await (await supervisor.Client.PatchJson($"/api/v1/tasks/{task.Str("id")}", new { artist = "ben" })).Expect(HttpStatusCode.OK);

        Assert.Equal("ben", updated.Str("artist"));
    }

    [Fact]
    public async Task The_task_list_shows_only_projects_the_caller_can_read()
    {
        var mine = await _admin.CreateProject();
        var hidden = await _admin.CreateProject();
        var viewer = await app.CreateUser(mine, "viewer");
        await _admin.CreateTask(TaskBuilders.NamedTask(mine, $"{mine}_visible"));
        await _admin.CreateTask(TaskBuilders.NamedTask(hidden, $"{hidden}_secret"));

        var all = await viewer.Client.ListTasks("page_size=100");

        Assert.Equal([$"{mine}_visible".ToLowerInvariant()], all.GetProperty("items").EnumerateArray().Select(t => t.Str("id").ToLowerInvariant()));
        Assert.Equal(1, all.GetProperty("total").GetInt64());
        var asked = await (await viewer.Client.GetAsync($"/api/v1/tasks?project_id={hidden}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal($"Project '{hidden}' not found", asked.Str("message"));
        await (await viewer.Client.GetAsync($"/api/v1/tasks/{hidden}_secret")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Creating_a_task_in_a_project_one_cannot_read_is_404_and_without_write_403()
    {
        var mine = await _admin.CreateProject();
        var other = await _admin.CreateProject();
        var client = await app.CreateUser(mine, "client");

        await (await client.Client.PostJson("/api/v1/tasks", TaskBuilders.ShotTask(other))).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await client.Client.PostJson("/api/v1/tasks", TaskBuilders.ShotTask(mine))).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Equal(0, (await _admin.ListTasks($"project_id={mine}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Bulk_changes_apply_where_allowed_and_report_the_rest_per_task()
    {
        var mine = await _admin.CreateProject();
        var other = await _admin.CreateProject();
        var artist = await app.CreateUser(mine, "artist");
        var own = (await _admin.CreateTask(TaskBuilders.NamedTask(mine, $"{mine}_own", ("artist", artist.Id)))).Str("id");
        var notMine = (await _admin.CreateTask(TaskBuilders.NamedTask(mine, $"{mine}_notmine", ("artist", "x")))).Str("id");
        var foreign = (await _admin.CreateTask(TaskBuilders.NamedTask(other, $"{other}_foreign"))).Str("id");

        var result = await (await artist.Client.PostJson("/api/v1/tasks/bulk", new
        {
            taskIds = new[] { own, notMine, foreign },
            operation = "update_status",
            data = new { status = "in_progress" },
        })).Expect(HttpStatusCode.OK);

        Assert.Equal(1, result.GetProperty("successful").GetInt32());
        Assert.Equal([own], result.GetProperty("updatedTasks").EnumerateArray().Select(t => t.GetString()));
        var errors = result.GetProperty("errors").EnumerateArray().ToDictionary(e => e.Str("taskId"), e => e.Str("code"));
        Assert.Equal("FORBIDDEN", errors[notMine]);
        Assert.Equal("NOT_FOUND", errors[foreign]);
        Assert.Equal("not_started", (await _admin.GetTask(foreign)).Str("status"));
    }
}
