using System.Net;

namespace Montu.Server.Tests.Features.Playlists;

/// <summary><c>GET /playlists/{id}/notes.csv</c>: the notes on what the playlist shows, item by item, as the notes export writes them.</summary>
public sealed class PlaylistNotesTests(TestApp app) : IClassFixture<TestApp>
{
    private const string Header = "item,media,task,version,frame,timecode,author,type,status,content,replies";
    private readonly HttpClient _admin = app.Client;

    private static async Task<string[]> NotesAsync(HttpClient client, string playlist)
    {
        var response = await client.GetAsync($"{PlaylistBuilders.Url}/{playlist}/notes.csv");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Notes_come_item_by_item_then_by_frame_with_whole_media_notes_first_and_replies_after_their_note()
    {
        var project = await _admin.CreateProject();
        var still = await _admin.UploadFileAsync(project, "plate.png", MediaBuilders.Png);
        var clip = await _admin.UploadClipAsync(project, "25");
        var (stillId, clipId) = (still.Str("id"), clip.Str("id"));
        var at7 = await _admin.Annotate(new { mediaId = clipId, content = "at seven", frameNumber = 7 });
        var at2 = await _admin.Annotate(new { mediaId = clipId, content = "at two", frameNumber = 2 });
        await _admin.Annotate(new { mediaId = clipId, content = "whole clip" });
        await _admin.Annotate(new { mediaId = clipId, content = "reply", parentId = at2.Str("id") });
        await _admin.Annotate(new { mediaId = stillId, content = "=SUM(A1:A9)" });
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        await _admin.AddItem(playlist, new { mediaId = clipId });
        await _admin.AddItem(playlist, new { mediaId = stillId, position = 0 });
        await (await _admin.DeleteAsync($"/api/v1/annotations/{at7.Str("id")}")).Expect(HttpStatusCode.NoContent);

        var lines = await NotesAsync(_admin, playlist);

        var (clipTask, stillTask, admin) = (clip.Str("linkedTaskId"), still.Str("linkedTaskId"), TestApp.AdminEmail);
        Assert.Equal(
        [
            Header,
            $"1,plate.png,{stillTask},v001,0,,{admin},note,active,\"'=SUM(A1:A9)\",0",
            $"2,clip.mov,{clipTask},v001,,,{admin},note,active,whole clip,0",
            $"2,clip.mov,{clipTask},v001,2,01:00:00:02,{admin},note,active,at two,1",
            $"2,clip.mov,{clipTask},v001,2,01:00:00:02,{admin},note,active,reply,0",
        ], lines);
    }

    [Fact]
    public async Task A_followLatest_item_gives_the_notes_of_its_tasks_newest_version()
    {
        var (project, tasks, media) = await _admin.ShowWithVersions(1);
        await _admin.Annotate(new { mediaId = media[0], content = "on the first" });
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        await _admin.AddItem(playlist, new { taskId = tasks[0], followLatest = true });

        var newer = (await _admin.UploadPng(tasks[0])).Str("id");
        await _admin.Annotate(new { mediaId = newer, content = "on the second" });

        var lines = await NotesAsync(_admin, playlist);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(",v002,0,,admin@test.local,note,active,on the second,0", lines[1]);
    }

    [Fact]
    public async Task An_empty_playlist_gives_the_header_only_and_readers_may_export()
    {
        var project = await _admin.CreateProject();
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        var viewer = await app.CreateUser(project, "viewer");

        Assert.Equal([Header], await NotesAsync(viewer.Client, playlist));
        await (await _admin.GetAsync($"{PlaylistBuilders.Url}/playlist_nope/notes.csv")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var outsider = await app.CreateUser(await _admin.CreateProject(), "producer");
        await (await outsider.Client.GetAsync($"{PlaylistBuilders.Url}/{playlist}/notes.csv")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
