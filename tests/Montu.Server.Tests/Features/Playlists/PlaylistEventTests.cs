using System.Net;

namespace Montu.Server.Tests.Features.Playlists;

public sealed class PlaylistEventTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    [Fact]
    public async Task Playlist_events_arrive_on_the_projects_channel_with_what_acting_on_them_needs()
    {
        var (project, _, media) = await _admin.ShowWithVersions(1);
        await using var socket = await TestSocket.ConnectAsync(app, $"/ws/projects/{project}", _admin.DefaultRequestHeaders.Authorization!.Parameter!);
        await socket.ReceiveAsync("ready");

        var playlist = (await _admin.CreatePlaylist(project, "Dailies")).Str("id");
        var item = (await _admin.AddItem(playlist, new { mediaId = media[0] })).ItemOf(media[0]);
        await (await _admin.DeleteAsync($"{PlaylistBuilders.Url}/{playlist}")).Expect(HttpStatusCode.OK);

        var created = (await socket.ReceiveAsync("playlist_created")).GetProperty("data");
        var added = (await socket.ReceiveAsync("playlist_updated")).GetProperty("data");
        var deleted = (await socket.ReceiveAsync("playlist_deleted")).GetProperty("data");
        Assert.Equal((playlist, "Dailies"), (created.Str("playlistId"), created.GetProperty("playlist").Str("name")));
        Assert.Equal((playlist, "item_added", item, media[0], 2),
            (added.Str("playlistId"), added.Str("action"), added.GetProperty("item").Str("id"), added.GetProperty("item").Str("mediaId"), added.GetProperty("revision").GetInt32()));
        Assert.Equal((playlist, project, "archived", "open"), (deleted.Str("playlistId"), deleted.Str("projectId"), deleted.Str("status"), deleted.Str("previousStatus")));
    }
}
