using System.Net;
using System.Text.Json;
using Montu.Server.Tests.Features.TaskImport;

namespace Montu.Server.Tests.Features.Activity;

/// <summary>GET /activity and the task and media histories: readable entries, filters, paging, and who sees what.</summary>
public sealed class ActivityTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    private static List<JsonElement> Items(JsonElement list) => [.. list.GetProperty("items").EnumerateArray()];

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, string url) =>
        Items(await (await client.GetAsync(url)).Expect(HttpStatusCode.OK));

    private static List<long> Seqs(IEnumerable<JsonElement> items) => [.. items.Select(i => i.GetProperty("seq").GetInt64())];

    [Fact]
    public async Task A_status_change_reads_as_a_sentence_with_who_and_the_field_from_and_to()
    {
        var project = await _admin.CreateProject();
        var supervisor = await app.CreateUser(project, "supervisor");
        var task = (await _admin.CreateTask(TaskBuilders.ShotTask(project))).Str("id");

        await (await supervisor.Client.PatchJson($"/api/v1/tasks/{task}", new { status = "in_progress", priority = "high" })).Expect(HttpStatusCode.OK);
        var entries = await ListAsync(_admin, $"/api/v1/activity?project_id={project}&type=task_updated");

        var entry = Assert.Single(entries);
        Assert.Equal(("task_updated", "task", task, project), (entry.Str("type"), entry.Str("entityType"), entry.Str("entityId"), entry.Str("projectId")));
        Assert.Equal((supervisor.Id, $"User {supervisor.Email}"), (entry.GetProperty("user").Str("id"), entry.GetProperty("user").Str("name")));
        Assert.Equal($"User {supervisor.Email} moved {task} to in_progress", entry.Str("summary"));
        var status = entry.GetProperty("changes").GetProperty("status");
        Assert.Equal(("not_started", "in_progress"), (status.Str("from"), status.Str("to")));
        Assert.Equal("high", entry.GetProperty("changes").GetProperty("priority").Str("to"));
        Assert.True(entry.GetProperty("timestamp").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Filters_narrow_by_project_entity_user_type_and_time()
    {
        var (project, other) = (await _admin.CreateProject(), await _admin.CreateProject());
        var artist = await app.CreateUser(project, "supervisor");
        var first = (await _admin.CreateTask(TaskBuilders.ShotTask(project, shot: "SH0010"))).Str("id");
        var second = (await _admin.CreateTask(TaskBuilders.ShotTask(project, shot: "SH0030"))).Str("id");
        await _admin.CreateTask(TaskBuilders.ShotTask(other, shot: "SH0040"));
        await (await artist.Client.PatchJson($"/api/v1/tasks/{second}", new { description = "by the artist" })).Expect(HttpStatusCode.OK);
        await (await _admin.PatchJson($"/api/v1/tasks/{first}", new { description = "by the admin" })).Expect(HttpStatusCode.OK);

        var inProject = await ListAsync(_admin, $"/api/v1/activity?project_id={project}");
        var ofEntity = await ListAsync(_admin, $"/api/v1/activity?entity_type=task&entity_id={second}");
        var byUser = await ListAsync(artist.Client, "/api/v1/activity?user=me");
        var byType = await ListAsync(_admin, $"/api/v1/activity?project_id={project}&type=task_created,project_created");
        var firstUpdate = Uri.EscapeDataString(inProject[1].GetProperty("timestamp").GetString()!);
        var recent = await ListAsync(_admin, $"/api/v1/activity?project_id={project}&since={firstUpdate}");
        var earlier = await ListAsync(_admin, $"/api/v1/activity?project_id={project}&until={firstUpdate}");
        var filters = (await (await _admin.GetAsync($"/api/v1/activity?project_id={project}&type=task_created")).Expect(HttpStatusCode.OK)).GetProperty("filtersApplied");

        Assert.All(inProject, e => Assert.Equal(project, e.Str("projectId")));
        Assert.Equal(Seqs(inProject).OrderDescending(), Seqs(inProject));
        Assert.Equal(["task_updated", "task_updated", "task_created", "shot_created", "task_created", "shot_created", "sequence_created", "episode_created", "project_members_added", "project_created"], inProject.Select(e => e.Str("type")));
        Assert.Equal(["task_updated", "task_created"], ofEntity.Select(e => e.Str("type")));
        Assert.Equal([second], byUser.Select(e => e.Str("entityId")));
        Assert.Equal(["task_created", "task_created", "project_created"], byType.Select(e => e.Str("type")));
        Assert.Equal([first, second], recent.Select(e => e.Str("entityId")));
        Assert.Equal(Seqs(inProject.Skip(2)), Seqs(earlier));
        Assert.Equal($$"""{"projectId":"{{project}}","type":["task_created"]}""", filters.GetRawText());
    }

    [Fact]
    public async Task Pages_by_cursor_and_by_number_give_every_entry_once_in_order()
    {
        var project = await _admin.CreateProject();
        var task = (await _admin.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        for (var i = 0; i < 6; i++)
        {
            await (await _admin.PatchJson($"/api/v1/tasks/{task}", new { description = $"pass {i}" })).Expect(HttpStatusCode.OK);
        }

        var all = Seqs(await ListAsync(_admin, $"/api/v1/activity?project_id={project}&page_size=100"));
        var byCursor = new List<long>();
        string? cursor = null;
        do
        {
            var page = await (await _admin.GetAsync($"/api/v1/activity?project_id={project}&page_size=3{(cursor is null ? "" : $"&cursor={cursor}")}")).Expect(HttpStatusCode.OK);
            byCursor.AddRange(Seqs(Items(page)));
            Assert.Equal(all.Count, page.GetProperty("total").GetInt64());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        var byNumber = new List<long>();
        for (var number = 1; number <= 4; number++)
        {
            byNumber.AddRange(Seqs(await ListAsync(_admin, $"/api/v1/activity?project_id={project}&page_size=3&page={number}")));
        }

        // project_created, the episode, sequence and shot the task names, the task, six updates.
        Assert.Equal(11, all.Count);
        Assert.Equal(all, byCursor);
        Assert.Equal(all, byNumber);
    }

    [Fact]
    public async Task A_user_outside_a_project_sees_none_of_its_entries_and_nobody_sees_account_events_as_activity()
    {
        var (project, theirs) = (await _admin.CreateProject(), await _admin.CreateProject());
        var task = (await _admin.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var outsider = await app.CreateUser(theirs, "admin");
        var viewer = await app.CreateUser(project, "viewer");

        var seenByOutsider = await ListAsync(outsider.Client, "/api/v1/activity?page_size=100");
        var ofTaskByOutsider = await ListAsync(outsider.Client, $"/api/v1/activity?entity_type=task&entity_id={task}");
        await (await outsider.Client.GetAsync($"/api/v1/activity?project_id={project}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var seenByViewer = await ListAsync(viewer.Client, $"/api/v1/activity?entity_id={task}");
        var accounts = await ListAsync(_admin, "/api/v1/activity?type=user_signed_in,user_created,session_refreshed");

        Assert.NotEmpty(seenByOutsider);
        Assert.All(seenByOutsider, e => Assert.Equal(theirs, e.Str("projectId")));
        Assert.Empty(ofTaskByOutsider);
        Assert.Equal(["task_created"], seenByViewer.Select(e => e.Str("type")));
        Assert.Empty(accounts);
    }

    [Fact]
    public async Task A_task_history_holds_its_own_events_and_its_part_of_bulk_changes_and_imports()
    {
        var project = await _admin.CreateProject();
        var csv = "id,episode,sequence,shot,task\nhist_a,ep01,sq010,sh0010,animation\nhist_b,ep01,sq010,sh0020,animation\n";
        await (await _admin.Import(project, csv)).Expect(HttpStatusCode.OK);
        await (await _admin.PatchJson("/api/v1/tasks/bulk-update", new object[]
        {
            new { taskId = "hist_a", updates = new { status = "in_progress" } },
            new { taskId = "hist_b", updates = new { priority = "urgent" } },
        })).Expect(HttpStatusCode.OK);
        await (await _admin.Import(project, "id,episode,sequence,shot,task,description\nhist_a,ep01,sq010,sh0010,animation,from the sheet\n", ("mode", "upsert")))
            .Expect(HttpStatusCode.OK);
        await (await _admin.PatchJson("/api/v1/tasks/hist_a", new { status = "pending_review" })).Expect(HttpStatusCode.OK);

        var history = await ListAsync(_admin, "/api/v1/tasks/hist_a/history");
        var otherHistory = await ListAsync(_admin, "/api/v1/tasks/hist_b/history");
        var projectActivity = await ListAsync(_admin, $"/api/v1/activity?project_id={project}&type=tasks_bulk_updated");

        Assert.Equal(["task_updated", "tasks_bulk_updated", "tasks_bulk_updated", "tasks_imported"], history.Select(e => e.Str("type")));
        Assert.All(history, e => Assert.Equal(("task", "hist_a"), (e.Str("entityType"), e.Str("entityId"))));
        Assert.Equal("from the sheet", history[1].GetProperty("changes").GetProperty("description").Str("to"));
        Assert.EndsWith("changed description of hist_a (import)", history[1].Str("summary"));
        var status = history[2].GetProperty("changes").GetProperty("status");
        Assert.Equal(("not_started", "in_progress"), (status.Str("from"), status.Str("to")));
        Assert.False(history[2].GetProperty("changes").TryGetProperty("priority", out _));
        Assert.EndsWith("created hist_a by CSV import", history[3].Str("summary"));
        Assert.Equal(JsonValueKind.Null, history[3].GetProperty("changes").ValueKind);
        Assert.Equal(["tasks_bulk_updated", "tasks_imported"], otherHistory.Select(e => e.Str("type")));
        Assert.Equal("urgent", otherHistory[0].GetProperty("changes").GetProperty("priority").Str("to"));
        var bulk = projectActivity[^1];
        Assert.Equal(("tasks", project), (bulk.Str("entityType"), bulk.Str("entityId")));
        Assert.Equal("in_progress", bulk.GetProperty("changes").GetProperty("hist_a").GetProperty("status").Str("to"));
        Assert.EndsWith("updated 2 tasks (bulk_update)", bulk.Str("summary"));
    }

    [Fact]
    public async Task A_history_is_404_for_an_unknown_or_unreadable_task_or_media_as_reading_it_is()
    {
        var project = await _admin.CreateProject();
        var task = (await _admin.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var media = (await _admin.UploadPng(task)).Str("id");
        var outsider = await app.CreateUser(await _admin.CreateProject(), "admin");

        foreach (var (client, url) in new[]
        {
            (_admin, "/api/v1/tasks/no_such_task/history"), (outsider.Client, $"/api/v1/tasks/{task}/history"),
            (_admin, "/api/v1/media/media_nothing/history"), (outsider.Client, $"/api/v1/media/{media}/history"),
        })
        {
            await (await client.GetAsync(url)).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        }
    }

    [Fact]
    public async Task A_media_history_holds_its_upload_processing_and_review()
    {
        var project = await _admin.CreateProject();
        var supervisor = await app.CreateUser(project, "supervisor");
        var task = (await _admin.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var media = (await _admin.UntilProcessedAsync((await _admin.UploadPng(task)).Str("id"))).Str("id");
        await (await supervisor.Client.PostJson($"/api/v1/media/{media}/approve", new { approvalStatus = "approved", reviewNotes = "Final" })).Expect(HttpStatusCode.OK);

        var history = await ListAsync(supervisor.Client, $"/api/v1/media/{media}/history");

        Assert.Equal(["media_approved", "media_processed", "media_uploaded"], history.Select(e => e.Str("type")));
        Assert.All(history, e => Assert.Equal(("media", media), (e.Str("entityType"), e.Str("entityId"))));
        Assert.Equal($"User {supervisor.Email} set {media} to approved", history[0].Str("summary"));
        Assert.Equal(JsonValueKind.Null, history[1].GetProperty("user").ValueKind);
        Assert.StartsWith($"Processing of {media} ended ", history[1].Str("summary"));
        Assert.Contains($" as v001 of {task}", history[2].Str("summary"));
    }

    [Theory]
    [InlineData("/api/v1/activity?type=Task-Updated", "type")]
    [InlineData("/api/v1/activity?since=yesterday", "since")]
    [InlineData("/api/v1/activity?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/v1/activity?page_size=0", "page_size")]
    [InlineData("/api/v1/audit?until=soon", "until")]
    [InlineData("/api/v1/tasks/{task}/history?cursor=eyJzZXEiOjB9", "cursor")]
    public async Task Bad_filters_are_400_naming_the_parameter(string url, string field)
    {
        var project = await _admin.CreateProject();
        var task = (await _admin.CreateTask(TaskBuilders.ShotTask(project))).Str("id");

        var error = await (await _admin.GetAsync(url.Replace("{task}", task, StringComparison.Ordinal))).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal([field], error.Fields());
    }
}
