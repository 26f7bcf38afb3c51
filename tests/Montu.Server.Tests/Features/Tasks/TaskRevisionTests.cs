using System.Net;

namespace Montu.Server.Tests.Features.Tasks;

public sealed class TaskRevisionTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private async Task<(string Project, string Task)> NewTask()
    {
        var project = await _client.CreateProject();
        return (project, (await _client.CreateTask(TaskBuilders.NamedTask(project, $"rev_{project}"))).Str("id"));
    }

    private Task<HttpResponseMessage> Patch(string task, object body, params (string, string)[] headers) =>
        _client.SendWith(HttpMethod.Patch, $"/api/v1/tasks/{task}", body, headers);

    [Fact]
    public async Task Create_get_patch_and_list_carry_the_revision_and_single_answers_the_etag()
    {
        var project = await _client.CreateProject();
        var created = await _client.PostJson("/api/v1/tasks", TaskBuilders.NamedTask(project, $"rev_{project}"));
        var id = (await created.Expect(HttpStatusCode.Created)).Str("id");
        var patched = await Patch(id, new { status = "in_progress" }, ("If-Match", "\"1\""));
        var got = await _client.GetAsync($"/api/v1/tasks/{id}");

        Assert.Equal((1, "\"1\""), ((await created.Json()).GetProperty("revision").GetInt32(), created.ETag()));
        Assert.Equal((2, "\"2\""), ((await patched.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32(), patched.ETag()));
        Assert.Equal((2, "\"2\""), ((await got.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32(), got.ETag()));
        Assert.Equal(2, (await _client.ListTasks($"project_id={project}")).GetProperty("items")[0].GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task Get_answers_304_to_If_None_Match_naming_the_revision_weak_or_strong()
    {
        var (_, id) = await NewTask();

        var strong = await _client.SendWith(HttpMethod.Get, $"/api/v1/tasks/{id}", null, ("If-None-Match", "\"1\""));
        var weak = await _client.SendWith(HttpMethod.Get, $"/api/v1/tasks/{id}", null, ("If-None-Match", "W/\"1\""));
        var other = await _client.SendWith(HttpMethod.Get, $"/api/v1/tasks/{id}", null, ("If-None-Match", "\"0\""));

        Assert.Equal((HttpStatusCode.NotModified, "\"1\"", ""), (strong.StatusCode, strong.ETag(), await strong.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.NotModified, weak.StatusCode);
        Assert.Equal(id, (await other.Expect(HttpStatusCode.OK)).Str("id"));
    }

    [Fact]
    public async Task Patch_with_stale_etag_returns_412_with_the_current_revision_and_changes_nothing()
    {
        var (_, id) = await NewTask();
        await Patch(id, new { artist = "ana" });

        var error = await (await Patch(id, new { artist = "bob" }, ("If-Match", "\"1\""))).ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");

        Assert.Equal(2, error.GetProperty("details")[0].GetProperty("revision").GetInt32());
        var task = await _client.GetTask(id);
        Assert.Equal(("ana", 2), (task.Str("artist"), task.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task A_weak_tag_never_matches_If_Match()
    {
        var (_, id) = await NewTask();

        await (await Patch(id, new { artist = "ana" }, ("If-Match", "W/\"1\""))).ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
    }

    [Fact]
    public async Task Two_patches_sent_together_with_the_same_If_Match_let_exactly_one_through()
    {
        var (_, id) = await NewTask();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Patch(id, new { artist = $"artist{i}" }, ("If-Match", "\"1\""))));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.PreconditionFailed));
        var winner = await answers.Single(a => a.StatusCode == HttpStatusCode.OK).Json();
        var task = await _client.GetTask(id);
        Assert.Equal((winner.Str("artist"), 2), (task.Str("artist"), task.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task Archive_restore_and_add_field_move_the_revision_and_check_If_Match()
    {
        var (_, id) = await NewTask();

        var stale = await _client.SendWith(HttpMethod.Delete, $"/api/v1/tasks/{id}", null, ("If-Match", "\"3\""));
        var archived = await _client.SendWith(HttpMethod.Delete, $"/api/v1/tasks/{id}", null, ("If-Match", "\"1\""));
        var restored = await _client.SendWith(HttpMethod.Post, $"/api/v1/tasks/{id}/restore", null, ("If-Match", "\"2\""));
        var added = await _client.SendWith(HttpMethod.Post, $"/api/v1/tasks/{id}/add-field", new { note = "x" }, ("If-Match", "\"3\""));

        await stale.ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        Assert.Equal(("archived", 2), ((await archived.Expect(HttpStatusCode.OK)).Str("status"), (await archived.Json()).GetProperty("revision").GetInt32()));
        Assert.Equal(("not_started", 3), ((await restored.Expect(HttpStatusCode.OK)).Str("status"), (await restored.Json()).GetProperty("revision").GetInt32()));
        Assert.Equal((4, "\"4\""), ((await added.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32(), added.ETag()));
    }

    [Fact]
    public async Task A_bulk_update_moves_each_changed_task_once_even_when_listed_twice()
    {
        var project = await _client.CreateProject();
        var ids = await _client.CreateTasks([TaskBuilders.NamedTask(project, $"{project}_b1"), TaskBuilders.NamedTask(project, $"{project}_b2")]);

        await (await _client.PatchJson("/api/v1/tasks/bulk-update", new object[]
        {
            new { taskId = ids[0], updates = new { artist = "ana" } },
            new { taskId = ids[0], updates = new { status = "in_progress" } },
            new { taskId = ids[1], updates = new { artist = (string?)null } },
        })).Expect(HttpStatusCode.OK);
        await (await _client.PostJson("/api/v1/tasks/bulk", new { taskIds = ids, operation = "archive" })).Expect(HttpStatusCode.OK);

        Assert.Equal(3, (await _client.GetTask(ids[0])).GetProperty("revision").GetInt32());
        Assert.Equal(2, (await _client.GetTask(ids[1])).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_review_moving_the_task_status_moves_the_task_revision()
    {
        var (_, id) = await NewTask();
        var media = (await _client.UploadPng(id)).Str("id");

        await (await _client.PostJson($"/api/v1/media/{media}/approve", new { approvalStatus = "approved" })).Expect(HttpStatusCode.OK);

        var task = await _client.GetTask(id);
        Assert.Equal(("approved", 2), (task.Str("status"), task.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task A_project_requiring_If_Match_answers_428_to_task_changes_without_it_but_not_to_bulk_routes()
    {
        var (project, id) = await NewTask();
        await (await _client.PatchJson($"/api/v1/projects/{project}", new { requireIfMatch = true })).Expect(HttpStatusCode.OK);

        var patch = await Patch(id, new { artist = "ana" });
        var archive = await _client.DeleteAsync($"/api/v1/tasks/{id}");
        var addField = await _client.PostJson($"/api/v1/tasks/{id}/add-field", new { note = "x" });
        var conditional = await Patch(id, new { artist = "ana" }, ("If-Match", "\"1\""));
        var bulk = await _client.PostJson("/api/v1/tasks/bulk", new { taskIds = new[] { id }, operation = "assign", data = new { artist = "bob" } });

        foreach (var refused in new[] { patch, archive, addField })
        {
            Assert.Equal(["If-Match"], (await refused.ExpectError((HttpStatusCode)428, "PRECONDITION_REQUIRED")).Fields());
        }

        Assert.Equal("ana", (await conditional.Expect(HttpStatusCode.OK)).Str("artist"));
        Assert.Equal(1, (await bulk.Expect(HttpStatusCode.OK)).GetProperty("successful").GetInt32());
        Assert.Equal(("bob", 3), ((await _client.GetTask(id)).Str("artist"), (await _client.GetTask(id)).GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task Revision_is_set_by_the_server_only()
    {
        var (_, id) = await NewTask();

        var error = await (await Patch(id, new { revision = 9 })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(("revision", "READ_ONLY_FIELD"), (error.Fields().Single(), error.GetProperty("details")[0].Str("code")));
    }
}
