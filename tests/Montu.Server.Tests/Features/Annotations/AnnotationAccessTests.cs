using System.Net;

namespace Montu.Server.Tests.Features.Annotations;

/// <summary>Who writes, changes, resolves and archives notes; If-Match; events on the media's and the project's channels.</summary>
public sealed class AnnotationAccessTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    private string AdminToken => _admin.DefaultRequestHeaders.Authorization!.Parameter!;

    private async Task<(string Project, string MediaId)> MediaAsync()
    {
        var project = await _admin.CreateProject();
        return (project, (await _admin.UploadFileAsync(project, "plate.png", MediaBuilders.Png)).Str("id"));
    }

    [Fact]
    public async Task A_client_annotates_and_resolves_their_own_note_but_not_another_s()
    {
        var (project, mediaId) = await MediaAsync();
        var client = await app.CreateUser(project, "client");
        var theirs = await client.Client.Annotate(new { mediaId, content = "make it pop" });
        Assert.Equal(client.Id, theirs.Str("author"));
        var other = await _admin.Annotate(new { mediaId, content = "supervisor note" });

        var refused = await (await client.Client.PatchJson($"/api/v1/annotations/{other.Str("id")}", new { status = "resolved" }))
            .ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Contains("resolves or archives", refused.Str("message"), StringComparison.Ordinal);
        await (await client.Client.DeleteAsync($"/api/v1/annotations/{other.Str("id")}")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");

        var resolved = await (await client.Client.PatchJson($"/api/v1/annotations/{theirs.Str("id")}", new { status = "resolved" })).Expect(HttpStatusCode.OK);
        Assert.Equal(("resolved", client.Id, 2), (resolved.Str("status"), resolved.Str("resolvedBy"), resolved.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task The_author_edits_content_and_someone_who_writes_resolves_but_does_not_edit()
    {
        var (project, mediaId) = await MediaAsync();
        var viewer = await app.CreateUser(project, "viewer");
        var supervisor = await app.CreateUser(project, "supervisor");
        var note = await viewer.Client.Annotate(new { mediaId, content = "typo" });

        var edited = await (await viewer.Client.PutJson($"/api/v1/annotations/{note.Str("id")}", new { content = "fixed" })).Expect(HttpStatusCode.OK);
        Assert.Equal("fixed", edited.Str("content"));
        await (await supervisor.Client.PatchJson($"/api/v1/annotations/{note.Str("id")}", new { content = "overwritten" })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");

        var resolved = await (await supervisor.Client.PatchJson($"/api/v1/annotations/{note.Str("id")}", new { status = "resolved" })).Expect(HttpStatusCode.OK);
        Assert.Equal((supervisor.Id, "fixed"), (resolved.Str("resolvedBy"), resolved.Str("content")));
        var reopened = await (await viewer.Client.PatchJson($"/api/v1/annotations/{note.Str("id")}", new { status = "active" })).Expect(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reopened.GetProperty("resolvedBy").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await supervisor.Client.DeleteAsync($"/api/v1/annotations/{note.Str("id")}")).StatusCode);
    }

    [Fact]
    public async Task Strangers_see_no_note_and_server_owned_fields_are_refused()
    {
        var (_, mediaId) = await MediaAsync();
        var note = await _admin.Annotate(new { mediaId, content = "private" });
        var stranger = await app.CreateUser(await _admin.CreateProject(), "supervisor");

        await (await stranger.Client.GetAsync($"/api/v1/annotations/{note.Str("id")}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await stranger.Client.PostAnnotation(new { mediaId, content = "sneak" })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var error = await (await _admin.PatchJson($"/api/v1/annotations/{note.Str("id")}", new { author = "user_x" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["author"], error.Fields());
        var archiving = await (await _admin.PatchJson($"/api/v1/annotations/{note.Str("id")}", new { status = "archived" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("DELETE", archiving.GetProperty("details")[0].Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_sent_with_a_stale_revision_is_refused()
    {
        var (_, mediaId) = await MediaAsync();
        var created = await _admin.PostAnnotation(new { mediaId, content = "v1" });
        var note = await created.Expect(HttpStatusCode.Created);
        Assert.Equal("\"1\"", created.ETag());

        var changed = await _admin.SendWith(HttpMethod.Patch, $"/api/v1/annotations/{note.Str("id")}", new { content = "v2" }, ("If-Match", "\"1\""));
        Assert.Equal(("\"2\"", "v2"), (changed.ETag(), (await changed.Expect(HttpStatusCode.OK)).Str("content")));

        var stale = await (await _admin.SendWith(HttpMethod.Patch, $"/api/v1/annotations/{note.Str("id")}", new { content = "v3" }, ("If-Match", "\"1\"")))
            .ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        Assert.Equal(2, stale.GetProperty("details")[0].GetProperty("revision").GetInt32());
        await (await _admin.SendWith(HttpMethod.Delete, $"/api/v1/annotations/{note.Str("id")}", null, ("If-Match", "\"1\"")))
            .ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
        Assert.Equal("v2", (await _admin.GetAnnotation(note.Str("id"))).Str("content"));
    }

    [Fact]
    public async Task Every_event_reaches_the_media_s_channel_and_the_project_s()
    {
        var (project, mediaId) = await MediaAsync();
        var otherMedia = (await _admin.UploadFileAsync(project, "other.png", MediaBuilders.Png)).Str("id");
        await using var onMedia = await TestSocket.ConnectAsync(app, $"/ws/annotations/{mediaId}", AdminToken);
        await using var onProject = await TestSocket.ConnectAsync(app, $"/ws/projects/{project}", AdminToken);
        await onMedia.ReceiveAsync("ready");
        await onProject.ReceiveAsync("ready");

        await _admin.Annotate(new { mediaId = otherMedia, content = "not for the media channel" });
        var note = await _admin.Annotate(new { mediaId, content = "hello" });
        await (await _admin.PatchJson($"/api/v1/annotations/{note.Str("id")}", new { status = "resolved" })).Expect(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/v1/annotations/{note.Str("id")}")).StatusCode);

        foreach (var socket in new[] { onMedia, onProject })
        {
            var created = await socket.ReceiveAsync("annotation_created");
            Assert.Equal(socket == onMedia ? note.Str("id") : created.GetProperty("data").GetProperty("annotation").Str("id"), created.GetProperty("data").GetProperty("annotation").Str("id"));
            if (socket == onProject)
            {
                Assert.Equal(otherMedia, created.GetProperty("data").GetProperty("annotation").Str("mediaId"));
                created = await socket.ReceiveAsync("annotation_created");
            }

            Assert.Equal((mediaId, "hello"), (created.GetProperty("data").GetProperty("annotation").Str("mediaId"), created.GetProperty("data").GetProperty("annotation").Str("content")));
            var updated = await socket.ReceiveAsync("annotation_updated");
            Assert.Equal((note.Str("id"), mediaId, "resolved"), (updated.GetProperty("data").Str("annotationId"), updated.GetProperty("data").Str("mediaId"),
                updated.GetProperty("data").GetProperty("changes").Str("status")));
            var archived = await socket.ReceiveAsync("annotation_archived");
            Assert.Equal((note.Str("id"), mediaId), (archived.GetProperty("data").Str("annotationId"), archived.GetProperty("data").Str("mediaId")));
        }
    }
}
