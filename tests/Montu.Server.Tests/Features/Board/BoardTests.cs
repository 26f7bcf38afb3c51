using System.Net;
using System.Text.Json;
using Dapper;

namespace Montu.Server.Tests.Features.Board;

public sealed class BoardTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    private static readonly string[] Statuses = ["not_started", "in_progress", "pending_review", "needs_revision", "approved", "completed", "on_hold"];

    private async Task<JsonElement> Board(string project, string query = "") =>
        await (await _client.GetAsync($"/api/v1/projects/{project}/board?{query}")).Expect(HttpStatusCode.OK);

    private static List<JsonElement> Columns(JsonElement board) => board.GetProperty("columns").EnumerateArray().ToList();

    private static List<string> Ids(JsonElement column) => column.GetProperty("tasks").EnumerateArray().Select(t => t.Str("id")).ToList();

    private static string? Key(JsonElement column) => column.GetProperty("key").GetString();

    private Task<HttpResponseMessage> Move(string id, object body, HttpClient? client = null) => (client ?? _client).PostJson($"/api/v1/tasks/{id}/move", body);

    /// <summary>Tasks named t00.. in creation order, with statuses, artists and task types spread over them.</summary>
    private async Task<(string Project, List<string> Ids)> Show(int count)
    {
        var project = await _client.CreateProject();
        string[] artists = ["ana", "ben", "cy"];
        var ids = await _client.CreateTasks(Enumerable.Range(0, count).Select(i => TaskBuilders.NamedTask(project, $"{project}_t{i:00}",
            ("status", Statuses[i % 3]), ("artist", i % 4 == 3 ? null : artists[i % 3]), ("task", i % 2 == 0 ? "comp" : "lighting"))));
        return (project, ids);
    }

    [Fact]
    public async Task Columns_follow_the_vocabulary_and_their_totals_are_the_task_lists_totals_with_the_same_filters()
    {
        var (project, ids) = await Show(12);
        await (await _client.DeleteAsync($"/api/v1/tasks/{ids[0]}")).Expect(HttpStatusCode.OK);

        foreach (var filters in new[] { "", "artist=ana", "search=t1", "task_type=comp&artist=ben", "include_archived=true" })
        {
            var byStatus = Columns(await Board(project, filters));
            var expected = filters.Contains("archived") ? [.. Statuses, "archived"] : Statuses;
            Assert.Equal(expected, byStatus.Select(Key));
            foreach (var column in byStatus)
            {
                var listed = await _client.ListTasks($"project_id={project}&status={Key(column)}&{filters}&page_size=100");
                Assert.Equal(listed.GetProperty("total").GetInt64(), column.GetProperty("total").GetInt64());
                Assert.Equal(listed.GetProperty("items").EnumerateArray().Select(t => t.Str("id")).Order(StringComparer.Ordinal), Ids(column).Order(StringComparer.Ordinal));
            }

            var byType = Columns(await Board(project, "group_by=task_type&" + filters));
            Assert.Equal(["modeling", "rigging", "animation", "layout", "lighting", "comp", "fx", "lookdev"], byType.Select(Key));
            foreach (var column in byType.Where(_ => !filters.Contains("task_type")))
            {
                var listed = await _client.ListTasks($"project_id={project}&task_type={Key(column)}&{filters}");
                Assert.Equal(listed.GetProperty("total").GetInt64(), column.GetProperty("total").GetInt64());
            }
        }

        var byArtist = Columns(await Board(project, "group_by=artist"));
        Assert.Equal([null, "ana", "ben", "cy"], byArtist.Select(Key));
        Assert.Equal([ids[3], ids[7], ids[11]], Ids(byArtist[0]));
        Assert.Equal([ids[1], ids[4], ids[10]], Ids(byArtist[2]));
        var anasTotal = (await _client.ListTasks($"project_id={project}&artist=ana")).GetProperty("total").GetInt64();
        Assert.Equal(anasTotal, byArtist[1].GetProperty("total").GetInt64());
        var full = await _client.GetTask(ids[4]);
        Assert.Equal(full.GetRawText(), byArtist[2].GetProperty("tasks")[1].GetRawText());
    }

    [Fact]
    public async Task A_column_is_paged_by_its_cursor_alone_and_bad_parameters_are_400()
    {
        var (project, ids) = await Show(12);
        var first = Columns(await Board(project, "per_column=2&artist=ana"));
        var notStarted = first[0];
        // ana has t00, t06 and t09, all not started.
        Assert.Equal(3, notStarted.GetProperty("total").GetInt64());
        Assert.Equal([ids[0], ids[6]], Ids(notStarted));
        Assert.Equal(JsonValueKind.Null, first[1].GetProperty("nextCursor").ValueKind);

        var rest = Columns(await Board(project, $"per_column=2&artist=ana&cursor={notStarted.Str("nextCursor")}"));
        var column = Assert.Single(rest);
        Assert.Equal(("not_started", 3L), (Key(column), column.GetProperty("total").GetInt64()));
        Assert.Equal([ids[9]], Ids(column));
        Assert.Equal(JsonValueKind.Null, column.GetProperty("nextCursor").ValueKind);

        foreach (var (query, field) in new[]
        {
            ("group_by=shot", "group_by"), ("per_column=0", "per_column"), ("per_column=101", "per_column"), ("sort=id", "sort"),
            ("project_id=OTHER", "project_id"), ("cursor=nonsense", "cursor"), ($"group_by=artist&cursor={notStarted.Str("nextCursor")}", "cursor"),
            ("deadline_before=yesterday", "deadline_before"),
        })
        {
            var error = await (await _client.GetAsync($"/api/v1/projects/{project}/board?{query}")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
            Assert.Equal([field], error.Fields());
        }

        await (await _client.GetAsync("/api/v1/projects/NOPE_NONE/board")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task A_move_places_the_task_between_its_neighbours_and_changes_its_column_like_a_patch()
    {
        var (project, ids) = await Show(6);
        // not_started: t00, t03; in_progress: t01, t04.
        var moved = await (await Move(ids[1], new { status = "not_started", after = ids[0], before = ids[3] })).Expect(HttpStatusCode.OK);
        Assert.Equal(("not_started", 2), (moved.Str("status"), moved.GetProperty("revision").GetInt32()));
        Assert.Equal([ids[0], ids[1], ids[3]], Ids(Columns(await Board(project))[0]));

        await (await Move(ids[3], new { before = ids[0] })).Expect(HttpStatusCode.OK);
        Assert.Equal([ids[3], ids[0], ids[1]], Ids(Columns(await Board(project))[0]));
        await (await Move(ids[3], new { })).Expect(HttpStatusCode.OK);
        Assert.Equal([ids[0], ids[1], ids[3]], Ids(Columns(await Board(project))[0]));
        await (await Move(ids[0], new { after = ids[1] })).Expect(HttpStatusCode.OK);
        Assert.Equal([ids[1], ids[0], ids[3]], Ids(Columns(await Board(project))[0]));

        // A task created after the moves still comes last.
        var late = (await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_late"))).Str("id");
        Assert.Equal([ids[1], ids[0], ids[3], late], Ids(Columns(await Board(project))[0]));

        var bad = await (await Move(ids[0], new { status = "bogus" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["status"], bad.Fields());
        var other = await _client.CreateProject();
        var stranger = (await _client.CreateTask(TaskBuilders.NamedTask(other, $"{other}_x"))).Str("id");
        foreach (var (body, field) in new (object, string)[]
        {
            (new { before = stranger }, "before"), (new { after = "no_such_task" }, "after"), (new { after = ids[0] }, "after"),
            (new { before = 5 }, "before"), (new { position = 1 }, "position"), (new { before = ids[1], after = ids[1] }, "before"),
        })
        {
            Assert.Equal([field], (await (await Move(ids[0], body)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR")).Fields());
        }

        await (await Move(ids[0], new { after = ids[3], before = ids[1] })).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        await (await _client.DeleteAsync($"/api/v1/tasks/{ids[5]}")).Expect(HttpStatusCode.OK);
        await (await Move(ids[5], new { status = "in_progress" })).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        await (await Move("no_such_task", new { })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal([ids[1], ids[0], ids[3], late], Ids(Columns(await Board(project))[0]));
    }

    [Fact]
    public async Task A_move_checks_if_match_and_an_artist_moves_only_their_own_task()
    {
        var project = await _client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        var mine = (await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_mine", ("artist", artist.Email)))).Str("id");
        var theirs = (await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project}_theirs", ("artist", "someone")))).Str("id");

        await (await _client.SendWith(HttpMethod.Post, $"/api/v1/tasks/{mine}/move", new { status = "in_progress" }, ("If-Match", "\"7\"")))
            .ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        var moved = await _client.SendWith(HttpMethod.Post, $"/api/v1/tasks/{mine}/move", new { status = "in_progress" }, ("If-Match", "\"1\""));
        await moved.Expect(HttpStatusCode.OK);
        Assert.Equal("\"2\"", moved.ETag());

        await (await Move(theirs, new { before = mine }, artist.Client)).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Equal(["artist"], (await (await Move(mine, new { artist = "friend" }, artist.Client)).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN")).Fields());
        await (await Move(mine, new { after = theirs, status = "pending_review" }, artist.Client)).Expect(HttpStatusCode.OK);
        Assert.Equal("pending_review", (await _client.GetTask(mine)).Str("status"));

        var hidden = await _client.CreateProject();
        var outsider = (await _client.CreateTask(TaskBuilders.NamedTask(hidden, $"{hidden}_x"))).Str("id");
        await (await Move(outsider, new { }, artist.Client)).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await artist.Client.GetAsync($"/api/v1/projects/{hidden}/board")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task A_pure_reorder_writes_one_row_keeps_the_revision_and_is_announced_on_the_project_socket()
    {
        var (project, ids) = await Show(6);
        var before = await Rows(project);
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/tasks/{project}", _client.DefaultRequestHeaders.Authorization!.Parameter!);
        await socket.ReceiveAsync("ready");

        var moved = await (await Move(ids[3], new { before = ids[0] })).Expect(HttpStatusCode.OK);
        Assert.Equal(1, moved.GetProperty("revision").GetInt32());
        var announced = await socket.ReceiveAsync("task_moved");
        Assert.Equal((ids[3], ids[0]), (announced.GetProperty("data").Str("taskId"), announced.GetProperty("data").Str("before")));

        var after = await Rows(project);
        Assert.Equal([ids[3]], after.Where(r => r.Value != before[r.Key]).Select(r => r.Key));
        Assert.Equal(before[ids[3]].Revision, after[ids[3]].Revision);
        Assert.Equal(before[ids[3]].UpdatedAt, after[ids[3]].UpdatedAt);

        await (await Move(ids[3], new { status = "in_progress" })).Expect(HttpStatusCode.OK);
        var updated = await socket.ReceiveAsync("task_updated");
        Assert.Equal("in_progress", updated.GetProperty("data").GetProperty("changes").Str("status"));
    }

    [Fact]
    public async Task Ranks_stay_unique_and_in_order_after_random_moves_and_thousands_of_moves_into_one_gap()
    {
        var (project, ids) = await Show(16);
        await (await _client.PatchJson($"/api/v1/tasks/{ids[1]}", new { status = "not_started" })).Expect(HttpStatusCode.OK);
        var model = Ids(Columns(await Board(project, "per_column=100&status=not_started"))[0]);
        var random = new Random(43);
        for (var i = 0; i < 500; i++)
        {
            var task = model[random.Next(model.Count)];
            model.Remove(task);
            var place = random.Next(model.Count + 1);
            var kind = random.Next(3);
            object body = kind switch
            {
                0 when place < model.Count => new { before = model[place] },
                1 when place > 0 => new { after = model[place - 1] },
                2 when place > 0 && place < model.Count => new { after = model[place - 1], before = model[place] },
                _ => new { },
            };
            model.Insert(body.GetType().GetProperties().Length == 0 ? model.Count : place, task);
            await (await Move(task, body)).Expect(HttpStatusCode.OK);
        }

        Assert.Equal(model, Ids(Columns(await Board(project, "per_column=100&status=not_started"))[0]));

        // Always between the first task and the one moved just before it: the gap halves each time.
        var (first, second, third) = (model[0], model[1], model[2]);
        for (var i = 0; i < 2000; i++)
        {
            var (mover, next) = i % 2 == 0 ? (third, second) : (second, third);
            await (await Move(mover, new { after = first, before = next })).Expect(HttpStatusCode.OK);
        }

        var order = Ids(Columns(await Board(project, "per_column=100&status=not_started"))[0]);
        Assert.Equal([first, second, third], order.Take(3));
        var ranks = await Ranks(project);
        Assert.Equal(ranks.Count, ranks.Distinct().Count());
        Assert.All(ranks, r => Assert.True(r.Length <= 128, r));
    }

    private async Task<Dictionary<string, (int Revision, string UpdatedAt, string Rank)>> Rows(string project)
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<(string Id, int Revision, string UpdatedAt, string Rank)>(
            "SELECT id, revision, CAST(updated_at AS TEXT), board_rank FROM tasks WHERE project_id = @project", new { project });
        return rows.ToDictionary(r => r.Id, r => (r.Revision, r.UpdatedAt, r.Rank));
    }

    private async Task<List<string>> Ranks(string project) => (await Rows(project)).Values.Select(r => r.Rank).ToList();
}
