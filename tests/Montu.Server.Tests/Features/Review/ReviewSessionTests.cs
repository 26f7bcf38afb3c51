using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Review;

public sealed class ReviewSessionTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    /// <summary>A project with a playlist of two media versions, and three members who can read it.</summary>
    private async Task<Review> ReviewAsync()
    {
        var project = await _client.CreateProject();
        var task = (await _client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var playlist = (await _client.CreatePlaylist(project)).Str("id");
        var items = new List<string>();
        var media = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var version = (await _client.UploadPng(task)).Str("id");
            media.Add(version);
            items.Add(await AddItemAsync(playlist, version));
        }

        var supervisor = await app.CreateUser(project, "supervisor");
        var artist = await app.CreateUser(project, "artist");
        var client = await app.CreateUser(project, "client");
        return new Review(project, task, playlist, items, media, supervisor, artist, client);
    }

    private async Task<string> AddItemAsync(string playlist, string mediaId) => (await _client.AddItem(playlist, new { mediaId })).ItemOf(mediaId);

    private async Task<TestSocket> JoinAsync(string playlist, TestUser user, string name)
    {
        var socket = await TestSocket.ConnectAsync(app, $"/ws/review/{playlist}", user.Tokens.AccessToken);
        Assert.Equal("ready", (await socket.ReceiveAsync()).Str("type"));
        await socket.SendAsync(new { type = "join", name });
        return socket;
    }

    private static async Task<JsonElement> PresenceAsync(TestSocket socket) => (await socket.ReceiveAsync("presence")).GetProperty("data");

    private static List<string> Names(JsonElement presence) => [.. presence.GetProperty("users").EnumerateArray().Select(u => u.Str("name"))];

    private static object State(string itemId, long frame, bool playing = false, double rate = 1) => new { type = "state", itemId, frame, playing, rate };

    [Fact]
    public async Task The_first_to_join_presents_and_a_late_joiner_gets_the_latest_state_at_once()
    {
        var review = await ReviewAsync();
        await using var ana = await JoinAsync(review.Playlist, review.Supervisor, "Ana");
        var alone = await PresenceAsync(ana);
        Assert.Equal(["Ana"], Names(alone));
        Assert.Equal(review.Supervisor.Id, alone.Str("presenter"));

        await using var ben = await JoinAsync(review.Playlist, review.Artist, "Ben");
        Assert.Equal(["Ana", "Ben"], Names(await PresenceAsync(ana)));
        Assert.Equal(["Ana", "Ben"], Names(await PresenceAsync(ben)));

        await ana.SendAsync(State(review.Items[1], 1001, playing: true, rate: 0.5));
        var relayed = (await ben.ReceiveAsync("state")).GetProperty("data");
        Assert.Equal(review.Items[1], relayed.Str("itemId"));
        Assert.Equal(1001, relayed.GetProperty("frame").GetInt64());
        Assert.True(relayed.GetProperty("playing").GetBoolean());
        Assert.Equal(0.5, relayed.GetProperty("rate").GetDouble());
        Assert.Equal(review.Supervisor.Id, relayed.Str("presenter"));

        await ana.SendAsync(State(review.Items[0], 12));
        Assert.Equal(12, (await ben.ReceiveAsync("state")).GetProperty("data").GetProperty("frame").GetInt64());

        await using var cleo = await JoinAsync(review.Playlist, review.Client, "Cleo");
        var presence = await cleo.ReceiveAsync();
        Assert.Equal("presence", presence.Str("type"));
        Assert.Equal(["Ana", "Ben", "Cleo"], Names(presence.GetProperty("data")));
        var latest = await cleo.ReceiveAsync();
        Assert.Equal("state", latest.Str("type"));
        Assert.Equal(review.Items[0], latest.GetProperty("data").Str("itemId"));
        Assert.Equal(12, latest.GetProperty("data").GetProperty("frame").GetInt64());
    }

    [Fact]
    public async Task Only_the_presenter_sends_state_and_a_refused_state_reaches_nobody()
    {
        var review = await ReviewAsync();
        await using var ana = await JoinAsync(review.Playlist, review.Supervisor, "Ana");
        await PresenceAsync(ana);
        await using var ben = await JoinAsync(review.Playlist, review.Artist, "Ben");
        await PresenceAsync(ana);
        await PresenceAsync(ben);

        await ben.SendAsync(State(review.Items[0], 5));
        var error = await ben.ReceiveAsync("error");
        Assert.Equal("FORBIDDEN", error.Str("code"));
        Assert.Contains("Ana", error.Str("message"), StringComparison.Ordinal);

        // The next thing Ana hears is her own presenter's ping answer, not Ben's state.
        await ana.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await ana.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task The_presenter_hands_over_and_the_new_presenter_drives()
    {
        var review = await ReviewAsync();
        await using var ana = await JoinAsync(review.Playlist, review.Supervisor, "Ana");
        await PresenceAsync(ana);
        await using var ben = await JoinAsync(review.Playlist, review.Artist, "Ben");
        await PresenceAsync(ana);
        await PresenceAsync(ben);

        await ana.SendAsync(new { type = "handover", to = review.Artist.Id });
        Assert.Equal(review.Artist.Id, (await PresenceAsync(ana)).Str("presenter"));
        Assert.Equal(review.Artist.Id, (await PresenceAsync(ben)).Str("presenter"));

        await ben.SendAsync(State(review.Items[1], 40));
        Assert.Equal(40, (await ana.ReceiveAsync("state")).GetProperty("data").GetProperty("frame").GetInt64());

        await ana.SendAsync(State(review.Items[1], 41));
        Assert.Equal("FORBIDDEN", (await ana.ReceiveAsync("error")).Str("code"));

        await ben.SendAsync(new { type = "handover", to = review.Client.Id });
        var notHere = await ben.ReceiveAsync("error");
        Assert.Equal("NOT_FOUND", notHere.Str("code"));
        Assert.Contains(review.Client.Id, notHere.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_presenter_leaves_whoever_joined_next_presents()
    {
        var review = await ReviewAsync();
        var ana = await JoinAsync(review.Playlist, review.Supervisor, "Ana");
        await PresenceAsync(ana);
        await using var ben = await JoinAsync(review.Playlist, review.Artist, "Ben");
        await PresenceAsync(ben);
        await using var cleo = await JoinAsync(review.Playlist, review.Client, "Cleo");
        await PresenceAsync(ben);
        await PresenceAsync(cleo);

        await ana.DisposeAsync();
        var after = await PresenceAsync(cleo);
        Assert.Equal(["Ben", "Cleo"], Names(after));
        Assert.Equal(review.Artist.Id, after.Str("presenter"));
        Assert.Equal(review.Artist.Id, (await PresenceAsync(ben)).Str("presenter"));

        await ben.SendAsync(State(review.Items[0], 3));
        Assert.Equal(3, (await cleo.ReceiveAsync("state")).GetProperty("data").GetProperty("frame").GetInt64());
    }

    [Fact]
    public async Task Pointers_go_to_everyone_else_with_the_name_they_joined_with()
    {
        var review = await ReviewAsync();
        await using var ana = await JoinAsync(review.Playlist, review.Supervisor, "Ana");
        await PresenceAsync(ana);
        await using var cleo = await JoinAsync(review.Playlist, review.Client, "Cleo (client)");
        await PresenceAsync(ana);
        await PresenceAsync(cleo);

        await cleo.SendAsync(new { type = "pointer", x = 0.25, y = 0.75 });
        var pointer = (await ana.ReceiveAsync("pointer")).GetProperty("data");
        Assert.Equal("Cleo (client)", pointer.Str("name"));
        Assert.Equal(review.Client.Id, pointer.Str("userId"));
        Assert.Equal(0.25, pointer.GetProperty("x").GetDouble());
        Assert.Equal(0.75, pointer.GetProperty("y").GetDouble());
    }

    public static TheoryData<string, string> Refused => new()
    {
        { """{"type": "state", "itemId": "ITEM", "frame": -1, "playing": false, "rate": 1}""", "frame" },
        { """{"type": "state", "itemId": "ITEM", "frame": 1.5, "playing": false, "rate": 1}""", "frame" },
        { """{"type": "state", "itemId": "ITEM", "frame": 1, "playing": "yes", "rate": 1}""", "playing" },
        { """{"type": "state", "itemId": "ITEM", "frame": 1, "playing": true, "rate": 0}""", "rate" },
        { """{"type": "state", "itemId": "ITEM", "frame": 1, "playing": true, "rate": 17}""", "rate" },
        { """{"type": "state", "frame": 1, "playing": true, "rate": 1}""", "itemId" },
        { """{"type": "state", "itemId": "pli_nothere", "frame": 1, "playing": true, "rate": 1}""", "pli_nothere" },
        { """{"type": "pointer", "x": 1.5, "y": 0}""", "\"x\"" },
        { """{"type": "pointer", "x": 0.5}""", "\"y\"" },
        { """{"type": "handover"}""", "\"to\"" },
        { """{"type": "join", "name": "again"}""", "already joined" },
        { """{"type": "wave"}""", "\"join\"" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_message_gets_a_clear_error_and_the_socket_stays_open(string message, string mentioned)
    {
        var review = await ReviewAsync();
        await using var ana = await JoinAsync(review.Playlist, review.Supervisor, "Ana");
        await PresenceAsync(ana);

        await ana.SendTextAsync(message.Replace("ITEM", review.Items[0], StringComparison.Ordinal));
        var error = await ana.ReceiveAsync("error");
        Assert.Equal("VALIDATION_ERROR", error.Str("code"));
        Assert.Contains(mentioned, error.Str("message"), StringComparison.Ordinal);

        await ana.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await ana.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task Nothing_but_join_is_taken_before_joining_and_a_join_needs_a_name()
    {
        var review = await ReviewAsync();
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/review/{review.Playlist}", review.Artist.Tokens.AccessToken);
        await socket.ReceiveAsync("ready");
        await socket.SendAsync(new { type = "pointer", x = 0.5, y = 0.5 });
        Assert.Contains("Join the session first", (await socket.ReceiveAsync("error")).Str("message"), StringComparison.Ordinal);
        await socket.SendAsync(new { type = "join", name = "   " });
        Assert.Contains("\"name\"", (await socket.ReceiveAsync("error")).Str("message"), StringComparison.Ordinal);
        await socket.SendAsync(new { type = "join", name = new string('n', 101) });
        Assert.Equal("VALIDATION_ERROR", (await socket.ReceiveAsync("error")).Str("code"));
        await socket.SendAsync(new { type = "join", name = "Ben" });
        Assert.Equal(["Ben"], Names(await PresenceAsync(socket)));
    }

    [Fact]
    public async Task An_item_added_during_the_session_can_be_shown_at_once()
    {
        var review = await ReviewAsync();
        await using var ana = await JoinAsync(review.Playlist, review.Supervisor, "Ana");
        await PresenceAsync(ana);
        await using var ben = await JoinAsync(review.Playlist, review.Artist, "Ben");
        await PresenceAsync(ben);

        var added = await AddItemAsync(review.Playlist, (await _client.UploadPng(review.Task)).Str("id"));
        await ana.SendAsync(State(added, 7));
        Assert.Equal(added, (await ben.ReceiveAsync("state")).GetProperty("data").Str("itemId"));
    }

    [Fact]
    public async Task A_note_drawn_on_a_playlist_version_appears_for_everyone_and_notes_on_other_versions_do_not()
    {
        var review = await ReviewAsync();
        await using var ana = await JoinAsync(review.Playlist, review.Supervisor, "Ana");
        await PresenceAsync(ana);
        await using var cleo = await JoinAsync(review.Playlist, review.Client, "Cleo");
        await PresenceAsync(cleo);

        var elsewhere = await _client.UntilProcessedAsync((await _client.UploadPng(review.Task)).Str("id"));
        await review.Client.Client.Annotate(new { mediaId = elsewhere.Str("id"), content = "Not in this review" });
        await _client.UntilProcessedAsync(review.Media[1]);
        var note = await review.Client.Client.Annotate(new { mediaId = review.Media[1], content = "Warmer key, please" });

        foreach (var socket in new[] { ana, cleo })
        {
            var created = await socket.ReceiveAsync("annotation_created");
            var annotation = created.GetProperty("data").GetProperty("annotation");
            Assert.Equal(note.Str("id"), annotation.Str("id"));
            Assert.Equal("Warmer key, please", annotation.Str("content"));
        }

        await (await review.Client.Client.PatchJson($"/api/v1/annotations/{note.Str("id")}", new { content = "Warmer key" })).Expect(HttpStatusCode.OK);
        var updated = await ana.ReceiveAsync("annotation_updated");
        Assert.Equal(note.Str("id"), updated.GetProperty("data").Str("annotationId"));
    }

    [Fact]
    public async Task The_playlists_own_events_reach_the_session()
    {
        var review = await ReviewAsync();
        await using var ana = await JoinAsync(review.Playlist, review.Supervisor, "Ana");
        await PresenceAsync(ana);

        await (await _client.PatchJson($"/api/v1/playlists/{review.Playlist}", new { name = "Renamed dailies" })).Expect(HttpStatusCode.OK);
        var updated = await ana.ReceiveAsync("playlist_updated");
        Assert.Equal(review.Playlist, updated.GetProperty("data").Str("playlistId"));
    }

    [Fact]
    public async Task Only_readers_of_the_project_connect_and_since_is_refused()
    {
        var review = await ReviewAsync();
        var outsider = await app.CreateUser(await _client.CreateProject(), "supervisor");
        await (await outsider.Client.GetAsync($"/ws/review/{review.Playlist}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await review.Artist.Client.GetAsync("/ws/review/playlist_nothere")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await app.Anonymous().GetAsync($"/ws/review/{review.Playlist}")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        var replay = await Assert.ThrowsAnyAsync<Exception>(() => TestSocket.ConnectAsync(app, $"/ws/review/{review.Playlist}?since=1", review.Artist.Tokens.AccessToken));
        Assert.Contains("400", replay.Message, StringComparison.Ordinal);
    }

    private sealed record Review(string Project, string Task, string Playlist, List<string> Items, List<string> Media, TestUser Supervisor, TestUser Artist, TestUser Client);
}
