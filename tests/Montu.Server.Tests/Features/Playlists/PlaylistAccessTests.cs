using System.Net;

namespace Montu.Server.Tests.Features.Playlists;

/// <summary>Reading needs read, writing needs write, closing needs approve; outsiders are told nothing exists.</summary>
public sealed class PlaylistAccessTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    [Theory]
    [InlineData("supervisor", HttpStatusCode.Created, HttpStatusCode.OK)]
    [InlineData("producer", HttpStatusCode.Created, HttpStatusCode.OK)]
    [InlineData("director", HttpStatusCode.Forbidden, HttpStatusCode.OK)]
    [InlineData("artist", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("client", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("viewer", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    public async Task Members_write_and_close_as_their_role_allows_and_all_read(string role, HttpStatusCode write, HttpStatusCode close)
    {
        var (project, _, media) = await _admin.ShowWithVersions(1);
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        var member = await app.CreateUser(project, role);

        var read = await member.Client.GetAsync($"{PlaylistBuilders.Url}/{playlist}");
        var added = await member.Client.PostJson($"{PlaylistBuilders.Url}/{playlist}/items", new { mediaId = media[0] });
        var created = await member.Client.PostJson(PlaylistBuilders.Url, new { projectId = project, name = "Mine" });
        var closed = await member.Client.PostAsync($"{PlaylistBuilders.Url}/{playlist}/close", null);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(write, added.StatusCode);
        Assert.Equal(write, created.StatusCode);
        Assert.Equal(close, closed.StatusCode);
        if (write == HttpStatusCode.Forbidden)
        {
            Assert.Contains(role, (await added.ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN")).Str("message"));
            Assert.Empty((await _admin.GetPlaylist(playlist)).Items());
        }
    }

    [Fact]
    public async Task Members_of_another_project_get_404_and_do_not_see_it_listed()
    {
        var project = await _admin.CreateProject();
        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        var outsider = await app.CreateUser(await _admin.CreateProject(), "producer");

        await (await outsider.Client.GetAsync($"{PlaylistBuilders.Url}/{playlist}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await outsider.Client.DeleteAsync($"{PlaylistBuilders.Url}/{playlist}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await outsider.Client.PostJson(PlaylistBuilders.Url, new { projectId = project, name = "Sneaky" })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await outsider.Client.GetAsync($"{PlaylistBuilders.Url}?project_id={project}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var all = await (await outsider.Client.GetAsync(PlaylistBuilders.Url)).Expect(HttpStatusCode.OK);
        Assert.DoesNotContain(all.GetProperty("items").EnumerateArray(), p => p.Str("id") == playlist);
    }
}
