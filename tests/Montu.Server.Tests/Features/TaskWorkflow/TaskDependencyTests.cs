using System.Net;
using System.Text.Json;
using Montu.Server.Tests.Features.TaskImport;

namespace Montu.Server.Tests.Features.TaskWorkflow;

/// <summary>Dependencies: links both ways, cycles, the blocked filter, unblocking notices from every writer, and two opposite links at once.</summary>
public sealed class TaskDependencyTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    private async Task<(string Project, List<string> Tasks)> TasksAsync(int count, params (string Key, object? Value)[] fields)
    {
        var project = await _admin.CreateProject();
        var ids = await _admin.CreateTasks(Enumerable.Range(1, count).Select(i => TaskBuilders.NamedTask(project, $"{project.ToLowerInvariant()}_t{i}", fields)));
        return (project, ids);
    }

    private static Task<HttpResponseMessage> Link(HttpClient client, string task, string dependsOn) =>
        client.PostJson($"/api/v1/tasks/{task}/dependencies", new { dependsOn });

    private static async Task<JsonElement> Dependencies(HttpClient client, string task) =>
        await (await client.GetAsync($"/api/v1/tasks/{task}/dependencies")).Expect(HttpStatusCode.OK);

    private static async Task<List<JsonElement>> Unblocked(HttpClient client) =>
        [.. (await (await client.GetAsync("/api/v1/notifications?type=task_unblocked")).Expect(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task A_link_is_listed_from_both_ends_with_each_tasks_status_and_whether_it_is_finished()
    {
        var (project, t) = await TasksAsync(3);
        await (await _admin.PatchJson($"/api/v1/tasks/{t[0]}", new { status = "approved", artist = "ann" })).Expect(HttpStatusCode.OK);
        var added = await (await Link(_admin, t[2], t[0])).Expect(HttpStatusCode.Created);
        Assert.Equal((t[2], t[0], "finish_to_start", project), (added.Str("taskId"), added.Str("dependsOn"), added.Str("kind"), added.Str("projectId")));
        await (await Link(_admin, t[2], t[1])).Expect(HttpStatusCode.Created);
        // Adding it again changes nothing and says so.
        Assert.Equal(added.GetRawText(), (await (await Link(_admin, t[2], t[0])).Expect(HttpStatusCode.OK)).GetRawText());

        var last = await Dependencies(_admin, t[2]);
        Assert.True(last.GetProperty("blocked").GetBoolean());
        Assert.Equal([(t[0], "approved", "ann", true), (t[1], "not_started", null, false)], last.GetProperty("dependsOn").EnumerateArray()
            .Select(d => (d.Str("id"), d.Str("status"), d.GetProperty("artist").GetString(), d.GetProperty("finished").GetBoolean())));
        Assert.Empty(last.GetProperty("dependents").EnumerateArray());
        var first = await Dependencies(_admin, t[0]);
        Assert.Equal([t[2]], first.GetProperty("dependents").EnumerateArray().Select(d => d.Str("id")));
        Assert.False(first.GetProperty("blocked").GetBoolean());

        Assert.Equal(2, (await app.Events(project, "task_dependency_added")).Count);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/v1/tasks/{t[2]}/dependencies/{t[1]}")).StatusCode);
        await (await _admin.DeleteAsync($"/api/v1/tasks/{t[2]}/dependencies/{t[1]}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.False((await Dependencies(_admin, t[2])).GetProperty("blocked").GetBoolean());
        var removed = Assert.Single(await app.Events(project, "task_dependency_removed"));
        Assert.Equal((t[1], project), (removed.Str("dependsOn"), removed.Str("projectId")));
    }

    [Fact]
    public async Task A_cycle_is_refused_with_422_naming_it_whether_direct_or_three_long()
    {
        var (_, t) = await TasksAsync(3);
        await (await Link(_admin, t[0], t[1])).Expect(HttpStatusCode.Created);
        var direct = await (await Link(_admin, t[1], t[0])).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        Assert.Contains($"{t[1]} → {t[0]} → {t[1]}", direct.Str("message"));

        await (await Link(_admin, t[1], t[2])).Expect(HttpStatusCode.Created);
        var longer = await (await Link(_admin, t[2], t[0])).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        Assert.Contains($"{t[2]} → {t[0]} → {t[1]} → {t[2]}", longer.Str("message"));
        Assert.Equal(["dependsOn"], longer.Fields());
        Assert.Empty((await Dependencies(_admin, t[2])).GetProperty("dependsOn").EnumerateArray());
    }

    [Fact]
    public async Task Self_other_project_unknown_and_other_kinds_are_400_and_roles_without_write_are_refused()
    {
        var (project, t) = await TasksAsync(2);
        var (_, elsewhere) = await TasksAsync(1);
        Assert.Equal(["dependsOn"], (await (await Link(_admin, t[0], t[0])).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields());
        var other = await (await Link(_admin, t[0], elsewhere[0])).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains($"not a task of project '{project}'", other.GetProperty("details")[0].Str("message"));
        await (await Link(_admin, t[0], "no_such_task")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["dependsOn"], (await (await _admin.PostJson($"/api/v1/tasks/{t[0]}/dependencies", new { })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields());
        Assert.Equal(["kind"], (await (await _admin.PostJson($"/api/v1/tasks/{t[0]}/dependencies", new { dependsOn = t[1], kind = "start_to_start" }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields());
        await (await Link(_admin, "no_such_task", t[0])).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        var viewer = await app.CreateUser(project, "viewer");
        var artist = await app.CreateUser(project, "artist");
        await (await Link(viewer.Client, t[0], t[1])).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await Link(artist.Client, t[0], t[1])).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await Link(_admin, t[0], t[1])).Expect(HttpStatusCode.Created);
        await (await viewer.Client.DeleteAsync($"/api/v1/tasks/{t[0]}/dependencies/{t[1]}")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Single((await Dependencies(viewer.Client, t[0])).GetProperty("dependsOn").EnumerateArray());
        var outsider = await app.CreateUser(await _admin.CreateProject(), "producer");
        await (await outsider.Client.GetAsync($"/api/v1/tasks/{t[0]}/dependencies")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task The_blocked_filter_finds_tasks_waiting_on_unfinished_prerequisites_and_archived_ones_do_not_block()
    {
        var (project, t) = await TasksAsync(8);
        await (await _admin.PatchJson($"/api/v1/tasks/{t[0]}", new { status = "completed" })).Expect(HttpStatusCode.OK);
        await (await _admin.PatchJson($"/api/v1/tasks/{t[1]}", new { status = "in_progress" })).Expect(HttpStatusCode.OK);
        foreach (var (task, prerequisite) in new[] { (2, 0), (3, 1), (4, 0), (4, 1), (5, 6) })
        {
            await (await Link(_admin, t[task], t[prerequisite])).Expect(HttpStatusCode.Created);
        }

        await (await _admin.DeleteAsync($"/api/v1/tasks/{t[6]}")).Expect(HttpStatusCode.OK);
        Assert.Equal([t[3], t[4]], await _admin.ListIds($"project_id={project}&blocked=true"));
        Assert.Equal([t[0], t[1], t[2], t[5], t[7]], await _admin.ListIds($"project_id={project}&blocked=false"));
        Assert.Equal([t[3]], await _admin.ListIds($"project_id={project}&blocked=true&status=not_started&search=_t4"));
        Assert.Equal(2, (await _admin.ListTasks($"blocked=true&project_id={project}")).GetProperty("total").GetInt64());
        await (await _admin.GetAsync($"/api/v1/tasks?project_id={project}&blocked=maybe")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        // A project that stops counting completed as done blocks what waited on it.
        await (await _admin.PatchJson($"/api/v1/projects/{project}", new { doneStatuses = (string[])["approved"] })).Expect(HttpStatusCode.OK);
        Assert.Equal([t[2], t[3], t[4]], await _admin.ListIds($"project_id={project}&blocked=true"));
    }

    [Fact]
    public async Task The_assignee_is_told_when_the_last_prerequisite_finishes_by_patch_bulk_import_or_unlinking_and_never_of_their_own_change()
    {
        var project = await _admin.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        var producer = await app.CreateUser(project, "producer");
        string Id(string name) => $"{project.ToLowerInvariant()}_{name}";
        await _admin.CreateTasks([
            TaskBuilders.NamedTask(project, Id("comp"), ("artist", artist.Id)),
            TaskBuilders.NamedTask(project, Id("light")),
            TaskBuilders.NamedTask(project, Id("fx")),
            TaskBuilders.NamedTask(project, Id("own"), ("artist", artist.Id)),
            TaskBuilders.NamedTask(project, Id("later"), ("artist", artist.Email)),
            TaskBuilders.NamedTask(project, Id("roto")),
        ]);
        await (await Link(_admin, Id("comp"), Id("light"))).Expect(HttpStatusCode.Created);
        await (await Link(_admin, Id("comp"), Id("fx"))).Expect(HttpStatusCode.Created);

        await (await producer.Client.PatchJson($"/api/v1/tasks/{Id("light")}", new { status = "approved" })).Expect(HttpStatusCode.OK);
        Assert.Empty(await Unblocked(artist.Client));
        await (await producer.Client.PostJson("/api/v1/tasks/bulk", new { taskIds = (string[])[Id("fx")], operation = "update_status", data = new { status = "completed" } }))
            .Expect(HttpStatusCode.OK);
        var told = Assert.Single(await Unblocked(artist.Client));
        Assert.Equal(("Task Unblocked", Id("comp"), project), (told.Str("title"), told.GetProperty("data").Str("taskId"), told.GetProperty("data").Str("projectId")));
        Assert.Contains("can start", told.Str("message"));

        // Moving it back and forth again tells again; the producer who made the change is told nothing.
        await (await producer.Client.PatchJson($"/api/v1/tasks/{Id("fx")}", new { status = "in_progress" })).Expect(HttpStatusCode.OK);
        await (await _admin.Import(project, $"id,episode,sequence,shot,task,status\n{Id("fx")},Ep00,sq0010,{Id("fx")},lighting,approved\n", ("mode", "upsert"))).Expect(HttpStatusCode.OK);
        Assert.Equal(2, (await Unblocked(artist.Client)).Count);
        Assert.Empty(await Unblocked(producer.Client));

        // The artist finishing their own prerequisite is not told of their own change.
        await (await Link(_admin, Id("later"), Id("own"))).Expect(HttpStatusCode.Created);
        await (await artist.Client.PatchJson($"/api/v1/tasks/{Id("own")}", new { status = "approved" })).Expect(HttpStatusCode.OK);
        Assert.Equal(2, (await Unblocked(artist.Client)).Count);

        // Unlinking the only unfinished prerequisite unblocks too.
        await (await Link(_admin, Id("later"), Id("roto"))).Expect(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await producer.Client.DeleteAsync($"/api/v1/tasks/{Id("later")}/dependencies/{Id("roto")}")).StatusCode);
        var unlinked = await Unblocked(artist.Client);
        Assert.Equal(3, unlinked.Count);
        Assert.Equal(Id("later"), unlinked[0].GetProperty("data").Str("taskId"));
    }

    [Fact]
    public async Task Two_opposite_links_sent_at_once_never_both_succeed()
    {
        for (var round = 0; round < 5; round++)
        {
            var (_, t) = await TasksAsync(2);
            var answers = await Task.WhenAll(Link(_admin, t[0], t[1]), Link(_admin, t[1], t[0]));
            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity], answers.Select(a => a.StatusCode).Order());
            var links = (await Dependencies(_admin, t[0])).GetProperty("dependsOn").GetArrayLength() + (await Dependencies(_admin, t[1])).GetProperty("dependsOn").GetArrayLength();
            Assert.Equal(1, links);
        }
    }
}
