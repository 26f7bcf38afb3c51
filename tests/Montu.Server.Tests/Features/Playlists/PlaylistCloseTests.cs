using System.Net;
using System.Text.Json;
using Dapper;

namespace Montu.Server.Tests.Features.Playlists;

public sealed class PlaylistCloseTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    /// <summary>A playlist of the versions, each item given the decision at its index (null: none).</summary>
    private async Task<(string Playlist, List<string> Items)> DecidedAsync(string project, List<string> media, params string?[] decisions)
    {
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        var items = new List<string>();
        for (var i = 0; i < media.Count; i++)
        {
            var item = (await _admin.AddItem(playlist, new { mediaId = media[i] })).ItemOf(media[i]);
            items.Add(item);
            if (decisions[i] is { } decision)
            {
                await (await _admin.PatchJson($"{PlaylistBuilders.Url}/{playlist}/items/{item}", new { decision, decisionNotes = $"Note {i}" })).Expect(HttpStatusCode.OK);
            }
        }

        return (playlist, items);
    }

    private async Task<JsonElement> Media(string id) => await (await _admin.GetAsync($"/api/v1/media/{id}")).Expect(HttpStatusCode.OK);

    [Fact]
    public async Task Close_applies_each_decision_as_the_medias_approval_moves_the_tasks_and_leaves_undecided_items()
    {
        var (project, tasks, media) = await _admin.ShowWithVersions(3);
        var (playlist, _) = await DecidedAsync(project, media, "approved", "rejected", null);
        var supervisor = await app.CreateUser(project, "supervisor");

        var closed = await (await supervisor.Client.PostAsync($"{PlaylistBuilders.Url}/{playlist}/close", null)).Expect(HttpStatusCode.OK);

        Assert.Equal(("closed", supervisor.Id), (closed.Str("status"), closed.Str("closedBy")));
        Assert.Equal(JsonValueKind.String, closed.GetProperty("closedAt").ValueKind);
        var first = await Media(media[0]);
        Assert.Equal(("approved", supervisor.Id, "Note 0"), (first.Str("approvalStatus"), first.Str("reviewedBy"), first.Str("reviewNotes")));
        Assert.Equal("rejected", (await Media(media[1])).Str("approvalStatus"));
        Assert.Equal("pending", (await Media(media[2])).Str("approvalStatus"));
        Assert.Equal(["approved", "needs_revision", "pending_review"], [(await _admin.GetTask(tasks[0])).Str("status"), (await _admin.GetTask(tasks[1])).Str("status"), (await _admin.GetTask(tasks[2])).Str("status")]);
        Assert.Equal("approved", closed.Items()[0].GetProperty("media").Str("approvalStatus"));
    }

    [Fact]
    public async Task Close_writes_the_media_and_task_events_then_the_playlists_in_one_go()
    {
        var (project, tasks, media) = await _admin.ShowWithVersions(1);
        var (playlist, items) = await DecidedAsync(project, media, "approved");

        await (await _admin.PostAsync($"{PlaylistBuilders.Url}/{playlist}/close", null)).Expect(HttpStatusCode.OK);

        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var events = (await connection.QueryAsync<(string Type, string EntityId, string Payload)>(
            "SELECT type, entity_id, CAST(payload AS TEXT) FROM events WHERE entity_id IN (@task, @media, @playlist) AND type <> 'media_processed' ORDER BY seq",
            new { task = tasks[0], media = media[0], playlist })).ToList();
        Assert.Equal(["task_created", "media_uploaded", "playlist_created", "playlist_updated", "playlist_updated", "task_updated", "media_approved", "playlist_updated"],
            events.Select(e => e.Type));
        var close = JsonDocument.Parse(events[^1].Payload).RootElement;
        Assert.Equal(("closed", playlist, items[0], "approved"),
            (close.Str("action"), close.Str("playlistId"), close.GetProperty("applied")[0].Str("itemId"), close.GetProperty("applied")[0].Str("decision")));
    }

    [Fact]
    public async Task A_closed_playlist_cannot_close_again_or_change_and_stays_readable()
    {
        var (project, _, media) = await _admin.ShowWithVersions(1);
        var (playlist, items) = await DecidedAsync(project, media, (string?)null);
        await (await _admin.PostAsync($"{PlaylistBuilders.Url}/{playlist}/close", null)).Expect(HttpStatusCode.OK);

        var again = await (await _admin.PostAsync($"{PlaylistBuilders.Url}/{playlist}/close", null)).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        var add = await (await _admin.PostJson($"{PlaylistBuilders.Url}/{playlist}/items", new { mediaId = media[0] })).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        await (await _admin.PatchJson($"{PlaylistBuilders.Url}/{playlist}/items/{items[0]}", new { decision = "approved" })).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        await (await _admin.PatchJson($"{PlaylistBuilders.Url}/{playlist}", new { name = "Again" })).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Contains("closed", again.Str("message"));
        Assert.Contains("closed", add.Str("message"));
        Assert.Equal("closed", (await _admin.GetPlaylist(playlist)).Str("status"));
    }

    [Fact]
    public async Task A_deleted_version_in_the_middle_refuses_the_close_by_item_and_applies_nothing()
    {
        var (project, tasks, media) = await _admin.ShowWithVersions(3);
        var (playlist, items) = await DecidedAsync(project, media, "approved", "approved", "needs_revision");
        await (await _admin.DeleteAsync($"/api/v1/media/{media[1]}")).Expect(HttpStatusCode.NoContent);
        var seq = await LastSeqAsync();

        var refused = await (await _admin.PostAsync($"{PlaylistBuilders.Url}/{playlist}/close", null)).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Contains(items[1], refused.Str("message"));
        await AssertUntouchedAsync(playlist, tasks, [media[0], media[2]], seq);
    }

    [Fact]
    public async Task An_archived_task_in_the_middle_refuses_the_close_by_item_and_applies_nothing()
    {
        var (project, tasks, media) = await _admin.ShowWithVersions(3);
        var (playlist, items) = await DecidedAsync(project, media, "approved", "rejected", "needs_revision");
        await (await _admin.DeleteAsync($"/api/v1/tasks/{tasks[1]}")).Expect(HttpStatusCode.OK);
        var seq = await LastSeqAsync();

        var refused = await (await _admin.PostAsync($"{PlaylistBuilders.Url}/{playlist}/close", null)).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");

        Assert.Contains(items[1], refused.Str("message"));
        Assert.Contains("archived", refused.Str("message"));
        Assert.Equal("pending", (await Media(media[1])).Str("approvalStatus"));
        await AssertUntouchedAsync(playlist, [tasks[0], tasks[2]], [media[0], media[2]], seq);
    }

    private async Task<long> LastSeqAsync()
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) FROM events");
    }

    private async Task AssertUntouchedAsync(string playlist, IEnumerable<string> tasks, IEnumerable<string> media, long seq)
    {
        foreach (var id in media)
        {
            var version = await Media(id);
            Assert.Equal(("pending", JsonValueKind.Null), (version.Str("approvalStatus"), version.GetProperty("reviewedBy").ValueKind));
        }

        foreach (var task in tasks)
        {
            Assert.Equal("pending_review", (await _admin.GetTask(task)).Str("status"));
        }

        Assert.Equal("open", (await _admin.GetPlaylist(playlist)).Str("status"));
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var written = await connection.QueryAsync<string>("SELECT type FROM events WHERE seq > @seq AND type <> 'media_processed'", new { seq });
        Assert.Empty(written);
    }
}
