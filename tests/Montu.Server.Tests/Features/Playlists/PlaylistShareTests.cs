using System.Net;
using System.Text.Json;
using Dapper;

namespace Montu.Server.Tests.Features.Playlists;

/// <summary>
/// Share links: made, listed and revoked by writers; presented as a bearer token or as
/// <c>?share=</c>, they open the playlist, the versions it shows and their notes, and nothing else.
/// </summary>
public sealed class PlaylistShareTests(TestApp app) : IClassFixture<TestApp>
{
    private const string Expired = "This share link has expired or been revoked";
    private const string Outside = "A share link opens only its playlist";
    private readonly HttpClient _admin = app.Client;

    private sealed record World(string Project, string Playlist, List<string> Tasks, List<string> Media, string Note);

    /// <summary>A playlist showing the first of two processed versions, with a note on it; the second version is outside it.</summary>
    private async Task<World> WorldAsync()
    {
        var (project, tasks, media) = await _admin.ShowWithVersions(2);
        foreach (var id in media)
        {
            await _admin.UntilProcessedAsync(id);
        }

        var playlist = (await _admin.CreatePlaylist(project)).Str("id");
        await _admin.AddItem(playlist, new { mediaId = media[0] });
        var note = (await _admin.Annotate(new { mediaId = media[0], content = "warmer" })).Str("id");
        return new World(project, playlist, tasks, media, note);
    }

    private async Task<JsonElement> ShareAsync(string playlist, object? body = null) =>
        await (await _admin.PostJson($"{PlaylistBuilders.Url}/{playlist}/share", body ?? new { })).Expect(HttpStatusCode.Created);

    private HttpClient Guest(string token) => app.WithToken(token);

    private static string WithShare(string url, string token) => $"{url}{(url.Contains('?') ? '&' : '?')}share={token}";

    private static async Task Refused(HttpResponseMessage response, string message) =>
        Assert.Equal(message, (await response.ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED")).Str("message"));

    private async Task<T> ScalarAsync<T>(string sql, object args)
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    [Fact]
    public async Task A_link_answers_its_fields_once_with_the_token_and_the_database_keeps_only_a_hash()
    {
        var w = await WorldAsync();
        var me = await (await _admin.GetAsync("/api/v1/auth/me")).Expect(HttpStatusCode.OK);

        var share = await ShareAsync(w.Playlist, new { expiresInSeconds = 3600, allowAnnotations = true, guestName = "  Acme  " });

        var token = share.Str("token");
        Assert.StartsWith("share_", share.Str("id"));
        Assert.Matches("^mshare_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal($"http://localhost/review/{w.Playlist}?share={token}", share.Str("url"));
        Assert.Equal(("Acme", true, me.Str("userId")), (share.Str("guestName"), share.GetProperty("allowAnnotations").GetBoolean(), share.Str("createdBy")));
        Assert.Equal(TimeSpan.FromHours(1), share.GetProperty("expiresAt").GetDateTime() - share.GetProperty("createdAt").GetDateTime());

        var defaults = await ShareAsync(w.Playlist);
        Assert.Equal(("Guest", false), (defaults.Str("guestName"), defaults.GetProperty("allowAnnotations").GetBoolean()));
        Assert.Equal(TimeSpan.FromDays(7), defaults.GetProperty("expiresAt").GetDateTime() - defaults.GetProperty("createdAt").GetDateTime());

        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT COUNT(*) FROM playlist_shares
            WHERE token_hash = @token OR guest_name = @token OR id = @token OR token_hash LIKE '%' || @random || '%'
            """, new { token, random = token["mshare_".Length..] }));
        Assert.Equal(64, (await ScalarAsync<string>("SELECT token_hash FROM playlist_shares WHERE id = @id", new { id = share.Str("id") })).Length);

        var payload = await ScalarAsync<string>(
            "SELECT CAST(payload AS TEXT) FROM events WHERE type = 'playlist_shared' AND entity_id = @playlist AND CAST(payload AS TEXT) LIKE '%' || @id || '%'", new { playlist = w.Playlist, id = share.Str("id") });
        Assert.DoesNotContain(token["mshare_".Length..], payload);
        var shared = JsonDocument.Parse(payload).RootElement;
        Assert.Equal((w.Playlist, "Acme"), (shared.Str("playlistId"), shared.GetProperty("share").Str("guestName")));
        Assert.False(shared.GetProperty("share").TryGetProperty("token", out _));
    }

    [Fact]
    public async Task Bad_lifetimes_and_names_are_refused_by_name_an_archived_playlist_is_not_shared_and_a_closed_one_is()
    {
        var w = await WorldAsync();
        var error = await (await _admin.PostJson($"{PlaylistBuilders.Url}/{w.Playlist}/share", new { expiresInSeconds = 59, guestName = " " }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["expiresInSeconds", "guestName"], error.Fields());
        error = await (await _admin.PostJson($"{PlaylistBuilders.Url}/{w.Playlist}/share", new { expiresInSeconds = 2_592_001, guestName = new string('g', 101) }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["expiresInSeconds", "guestName"], error.Fields());
        await ShareAsync(w.Playlist, new { expiresInSeconds = 2_592_000, guestName = new string('g', 100) });
        await (await _admin.PostJson($"{PlaylistBuilders.Url}/playlist_nope/share", new { })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        await (await _admin.PostAsync($"{PlaylistBuilders.Url}/{w.Playlist}/close", null)).Expect(HttpStatusCode.OK);
        await ShareAsync(w.Playlist);
        await (await _admin.DeleteAsync($"{PlaylistBuilders.Url}/{w.Playlist}")).Expect(HttpStatusCode.OK);
        Assert.Contains("archived", (await (await _admin.PostJson($"{PlaylistBuilders.Url}/{w.Playlist}/share", new { }))
            .ExpectError(HttpStatusCode.Conflict, "CONFLICT")).Str("message"));
    }

    [Fact]
    public async Task Every_opened_route_answers_the_link_as_a_bearer_token_and_as_share_in_the_url()
    {
        var w = await WorldAsync();
        var token = (await ShareAsync(w.Playlist)).Str("token");
        var media = $"/api/v1/media/{w.Media[0]}";
        string[] opened =
        [
            $"{PlaylistBuilders.Url}/{w.Playlist}", $"{PlaylistBuilders.Url}/{w.Playlist}/notes.csv", media, $"{media}/stream", $"{media}/thumbnail",
            $"{media}/frames/0", $"/api/v1/annotations?media_id={w.Media[0]}", $"/api/v1/annotations/{w.Note}", $"/api/v1/annotations/{w.Note}/image",
        ];

        foreach (var url in opened)
        {
            var bearer = await Guest(token).GetAsync(url);
            var query = await app.Anonymous().GetAsync(WithShare(url, token));
            Assert.True(bearer.StatusCode == HttpStatusCode.OK, $"{url} with the bearer link: {(int)bearer.StatusCode} {await bearer.Content.ReadAsStringAsync()}");
            Assert.True(query.StatusCode == HttpStatusCode.OK, $"{url} with ?share=: {(int)query.StatusCode} {await query.Content.ReadAsStringAsync()}");
            if (!url.Contains("/api/v1/annotations", StringComparison.Ordinal) && url != media && !url.EndsWith(w.Playlist, StringComparison.Ordinal))
            {
                Assert.Equal(await (await _admin.GetAsync(url)).Content.ReadAsByteArrayAsync(), await query.Content.ReadAsByteArrayAsync());
            }
        }

        var playlist = await (await Guest(token).GetAsync($"{PlaylistBuilders.Url}/{w.Playlist}")).Expect(HttpStatusCode.OK);
        Assert.Equal(w.Media[0], playlist.Items().Single().Str("mediaId"));
        var notes = await (await Guest(token).GetAsync($"/api/v1/annotations?media_id={w.Media[0]}")).Expect(HttpStatusCode.OK);
        Assert.Equal([w.Note], notes.Ids());
        var browser = app.CreateClient();
        var stream = await browser.GetAsync(WithShare($"{media}/stream", token));
        Assert.Equal((HttpStatusCode.OK, "image/png"), (stream.StatusCode, stream.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task Anything_outside_the_playlist_is_401_however_the_link_is_presented()
    {
        var w = await WorldAsync();
        var token = (await ShareAsync(w.Playlist, new { allowAnnotations = true })).Str("token");
        var other = (await _admin.CreatePlaylist(w.Project, "Other")).Str("id");
        await _admin.AddItem(other, new { mediaId = w.Media[1] });
        var otherNote = (await _admin.Annotate(new { mediaId = w.Media[1], content = "elsewhere" })).Str("id");
        var guest = Guest(token);

        foreach (var url in new[]
        {
            $"/api/v1/media/{w.Media[1]}", $"/api/v1/media/{w.Media[1]}/stream", $"{PlaylistBuilders.Url}/{other}", $"{PlaylistBuilders.Url}/{other}/notes.csv",
            $"/api/v1/annotations/{otherNote}", $"/api/v1/annotations/{otherNote}/image", $"/api/v1/annotations?media_id={w.Media[1]}", "/api/v1/annotations", $"/api/v1/annotations?project_id={w.Project}",
            "/api/v1/tasks", $"/api/v1/tasks/{w.Tasks[0]}", "/api/v1/projects", $"/api/v1/projects/{w.Project}", PlaylistBuilders.Url,
            $"/api/v1/media/{w.Media[0]}/download", $"{PlaylistBuilders.Url}/{w.Playlist}/share", "/api/v1/auth/me", "/api/v1/media/media_nope",
        })
        {
            await Refused(await guest.GetAsync(url), Outside);
            await Refused(await app.Anonymous().GetAsync(WithShare(url, token)), Outside);
        }

        await Refused(await guest.PatchJson($"{PlaylistBuilders.Url}/{w.Playlist}", new { name = "Renamed" }), Outside);
        await Refused(await guest.PostJson($"/api/v1/media/{w.Media[0]}/approve", new { status = "approved" }), Outside);
        await Refused(await guest.PostJson($"/api/v1/media/{w.Media[0]}/links", new { purpose = "download" }), Outside);
        await Refused(await guest.PostJson($"{PlaylistBuilders.Url}/{w.Playlist}/share", new { }), Outside);
        await Refused(await guest.PatchJson($"/api/v1/annotations/{w.Note}", new { content = "changed" }), Outside);
        await Refused(await guest.DeleteAsync($"/api/v1/annotations/{w.Note}"), Outside);
        await Refused(await guest.PostAnnotation(new { mediaId = w.Media[1], content = "not here" }), Outside);
        Assert.Equal("Lighting dailies", (await _admin.GetPlaylist(w.Playlist)).Str("name"));
        Assert.Equal("pending", (await (await _admin.GetAsync($"/api/v1/media/{w.Media[0]}")).Expect(HttpStatusCode.OK)).Str("approvalStatus"));

        // The link decides alone: a user's valid token beside it does not widen it.
        var both = app.Anonymous();
        both.DefaultRequestHeaders.Authorization = _admin.DefaultRequestHeaders.Authorization;
        await Refused(await both.GetAsync(WithShare("/api/v1/projects", token)), Outside);
    }

    [Fact]
    public async Task A_followed_tasks_new_version_opens_to_the_link_as_the_playlist_shows_it()
    {
        var w = await WorldAsync();
        await _admin.AddItem(w.Playlist, new { taskId = w.Tasks[1], followLatest = true });
        var guest = Guest((await ShareAsync(w.Playlist)).Str("token"));
        await (await guest.GetAsync($"/api/v1/media/{w.Media[1]}")).Expect(HttpStatusCode.OK);

        var newer = (await _admin.UploadPng(w.Tasks[1])).Str("id");

        await (await guest.GetAsync($"/api/v1/media/{newer}")).Expect(HttpStatusCode.OK);
        var shown = await (await guest.GetAsync($"{PlaylistBuilders.Url}/{w.Playlist}")).Expect(HttpStatusCode.OK);
        Assert.Equal([w.Media[0], newer], shown.Items().Select(i => i.Str("mediaId")));
    }

    [Fact]
    public async Task A_guest_annotates_as_the_link_when_it_allows_and_is_refused_when_it_does_not()
    {
        var w = await WorldAsync();
        var share = await ShareAsync(w.Playlist, new { allowAnnotations = true, guestName = "=Acme" });
        var guest = Guest(share.Str("token"));

        var note = await guest.Annotate(new { mediaId = w.Media[0], content = "From the client" });
        var reply = await app.Anonymous().PostJson(WithShare("/api/v1/annotations", share.Str("token")), new { mediaId = w.Media[0], content = "via the url", parentId = w.Note });

        Assert.Equal(share.Str("id"), note.Str("author"));
        Assert.Equal(share.Str("id"), (await reply.Expect(HttpStatusCode.Created)).Str("author"));
        Assert.Contains(note.Str("id"), await _admin.AnnotationIds($"media_id={w.Media[0]}"));
        var csv = await (await _admin.GetAsync($"/api/v1/annotations/export.csv?media_id={w.Media[0]}")).Content.ReadAsStringAsync();
        Assert.True(csv.Contains(",\"'=Acme (guest)\",note,active,From the client,0", StringComparison.Ordinal), csv);
        var mention = await (await guest.PostAnnotation(new { mediaId = w.Media[0], content = "hi", mentions = new[] { TestApp.AdminEmail } }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["mentions"], mention.Fields());
        await Refused(await guest.PatchJson($"/api/v1/annotations/{note.Str("id")}", new { content = "changed" }), Outside);

        var lookOnly = Guest((await ShareAsync(w.Playlist)).Str("token"));
        await Refused(await lookOnly.PostAnnotation(new { mediaId = w.Media[0], content = "not allowed" }), Outside);
        Assert.Equal(3, (await _admin.AnnotationIds($"media_id={w.Media[0]}")).Count);
    }

    [Fact]
    public async Task An_expired_link_is_refused_and_no_longer_listed()
    {
        var w = await WorldAsync();
        var share = await ShareAsync(w.Playlist, new { expiresInSeconds = 60 });
        var kept = await ShareAsync(w.Playlist);
        var guest = Guest(share.Str("token"));
        await (await guest.GetAsync($"{PlaylistBuilders.Url}/{w.Playlist}")).Expect(HttpStatusCode.OK);

        await using (var connection = await app.Db.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE playlist_shares SET expires_at = @past WHERE id = @id",
                new { past = DateTime.UtcNow.AddSeconds(-1), id = share.Str("id") });
        }

        await Refused(await guest.GetAsync($"{PlaylistBuilders.Url}/{w.Playlist}"), Expired);
        var listed = await (await _admin.GetAsync($"{PlaylistBuilders.Url}/{w.Playlist}/share")).Expect(HttpStatusCode.OK);
        Assert.Equal([kept.Str("id")], listed.EnumerateArray().Select(s => s.Str("id")));
        Assert.False(listed[0].TryGetProperty("token", out _));
    }

    [Fact]
    public async Task Revoking_by_token_or_id_refuses_the_very_next_request_and_writes_an_event()
    {
        var w = await WorldAsync();
        var first = await ShareAsync(w.Playlist);
        var second = await ShareAsync(w.Playlist);
        var url = $"{PlaylistBuilders.Url}/{w.Playlist}";
        await (await Guest(first.Str("token")).GetAsync(url)).Expect(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"{url}/share/{first.Str("token")}")).StatusCode);
        await Refused(await Guest(first.Str("token")).GetAsync(url), Expired);
        await Refused(await app.Anonymous().GetAsync(WithShare($"/api/v1/media/{w.Media[0]}/stream", first.Str("token"))), Expired);
        await (await Guest(second.Str("token")).GetAsync(url)).Expect(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"{url}/share/{second.Str("id")}")).StatusCode);
        await Refused(await Guest(second.Str("token")).GetAsync(url), Expired);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"{url}/share/{second.Str("id")}")).StatusCode);
        Assert.Equal(0, (await (await _admin.GetAsync($"{url}/share")).Expect(HttpStatusCode.OK)).GetArrayLength());
        await (await _admin.DeleteAsync($"{url}/share/share_nope")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var other = (await _admin.CreatePlaylist(w.Project, "Other")).Str("id");
        await (await _admin.DeleteAsync($"{PlaylistBuilders.Url}/{other}/share/{first.Str("id")}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Equal(2L, await ScalarAsync<long>("SELECT COUNT(*) FROM events WHERE type = 'playlist_share_revoked' AND entity_id = @playlist", new { playlist = w.Playlist }));
        var payload = JsonDocument.Parse(await ScalarAsync<string>(
            "SELECT payload FROM events WHERE type = 'playlist_share_revoked' AND entity_id = @playlist ORDER BY seq LIMIT 1", new { playlist = w.Playlist })).RootElement;
        Assert.Equal((w.Playlist, first.Str("id")), (payload.Str("playlistId"), payload.Str("shareId")));
    }

    [Fact]
    public async Task Archiving_the_playlist_ends_its_links()
    {
        var w = await WorldAsync();
        var guest = Guest((await ShareAsync(w.Playlist)).Str("token"));
        await (await guest.GetAsync($"/api/v1/media/{w.Media[0]}")).Expect(HttpStatusCode.OK);

        await (await _admin.DeleteAsync($"{PlaylistBuilders.Url}/{w.Playlist}")).Expect(HttpStatusCode.OK);

        await Refused(await guest.GetAsync($"/api/v1/media/{w.Media[0]}"), Expired);
    }

    [Theory]
    [InlineData("artist")]
    [InlineData("director")]
    [InlineData("client")]
    public async Task Only_writers_share_list_and_revoke(string role)
    {
        var w = await WorldAsync();
        var share = await ShareAsync(w.Playlist);
        var member = await app.CreateUser(w.Project, role);
        var url = $"{PlaylistBuilders.Url}/{w.Playlist}/share";

        Assert.Contains(role, (await (await member.Client.PostJson(url, new { })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN")).Str("message"));
        await (await member.Client.GetAsync(url)).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await member.Client.DeleteAsync($"{url}/{share.Str("id")}")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        var supervisor = await app.CreateUser(w.Project, "supervisor");
        await (await supervisor.Client.PostJson(url, new { })).Expect(HttpStatusCode.Created);
        await (await Guest(share.Str("token")).GetAsync($"{PlaylistBuilders.Url}/{w.Playlist}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_made_up_link_is_401_and_never_reaches_the_jwt_handler()
    {
        var w = await WorldAsync();

        await Refused(await Guest("mshare_x").GetAsync($"{PlaylistBuilders.Url}/{w.Playlist}"), Expired);
        await Refused(await app.Anonymous().GetAsync($"{PlaylistBuilders.Url}/{w.Playlist}?share=mshare_x"), Expired);
        await Refused(await app.Anonymous().GetAsync($"{PlaylistBuilders.Url}/{w.Playlist}?share=eyJhbGciOi.x.y"), Expired);
        await Refused(await app.Anonymous().GetAsync($"{PlaylistBuilders.Url}/{w.Playlist}?share={new string('x', 5000)}"), Expired);

        var unauthorized = await Guest("mshare_x").GetAsync($"{PlaylistBuilders.Url}/{w.Playlist}");
        Assert.Contains("invalid_token", unauthorized.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(app.Logs.Lines, line => line.Category.Contains("Bearer", StringComparison.Ordinal)
            && (line.Text.Contains("mshare_x", StringComparison.Ordinal) || line.Text.Contains("refused", StringComparison.Ordinal)));
    }
}
