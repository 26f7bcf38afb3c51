using System.Net;

namespace Montu.Server.Tests.Features.Playlists;

/// <summary>The playlist's revision covers its items: every write checks If-Match against it and answers the new one as ETag.</summary>
public sealed class PlaylistRevisionTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    [Fact]
    public async Task Get_serves_the_revision_as_etag_and_304_while_it_holds()
    {
        var project = await _admin.CreateProject();
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");

        var read = await _admin.GetAsync($"{PlaylistBuilders.Url}/{playlist}");
        var held = await _admin.SendWith(HttpMethod.Get, $"{PlaylistBuilders.Url}/{playlist}", null, ("If-None-Match", "\"1\""));

        Assert.Equal("\"1\"", read.ETag());
        Assert.Equal(HttpStatusCode.NotModified, held.StatusCode);
    }

    [Fact]
    public async Task An_item_change_with_a_stale_if_match_is_412_and_changes_nothing()
    {
        var (project, _, media) = await _admin.ShowWithVersions(2);
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        var url = $"{PlaylistBuilders.Url}/{playlist}/items";

        var first = await _admin.SendWith(HttpMethod.Post, url, new { mediaId = media[0] }, ("If-Match", "\"1\""));
        var stale = await _admin.SendWith(HttpMethod.Post, url, new { mediaId = media[1] }, ("If-Match", "\"1\""));

        Assert.Equal("\"2\"", first.ETag());
        var error = await stale.ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        Assert.Equal(2, error.GetProperty("details")[0].GetProperty("revision").GetInt32());
        Assert.Single((await _admin.GetPlaylist(playlist)).Items());
        var closeStale = await _admin.SendWith(HttpMethod.Post, $"{PlaylistBuilders.Url}/{playlist}/close", null, ("If-Match", "\"1\""));
        await closeStale.ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
    }

    [Fact]
    public async Task A_project_requiring_if_match_refuses_playlist_writes_without_it()
    {
        var project = await _admin.CreateProject();
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        await (await _admin.PatchJson($"/api/v1/projects/{project}", new { requireIfMatch = true })).Expect(HttpStatusCode.OK);

        await (await _admin.PatchJson($"{PlaylistBuilders.Url}/{playlist}", new { name = "x" })).ExpectError(HttpStatusCode.PreconditionRequired, "PRECONDITION_REQUIRED");
        var patched = await _admin.SendWith(HttpMethod.Patch, $"{PlaylistBuilders.Url}/{playlist}", new { name = "x" }, ("If-Match", "\"1\""));

        Assert.Equal("x", (await patched.Expect(HttpStatusCode.OK)).Str("name"));
    }
}
