using System.Net;

namespace Montu.Server.Tests.Features.Media;

public sealed class MediaRevisionTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    private async Task<(string Project, string Media)> ProcessedVersion()
    {
        var project = await _admin.CreateProject();
        var task = (await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_media"))).Str("id");
        var media = (await _admin.UploadPng(task)).Str("id");
        await _admin.UntilProcessedAsync(media);
        return (project, media);
    }

    [Fact]
    public async Task Processing_moves_the_revision_so_a_copy_held_from_the_upload_is_not_current()
    {
        var project = await _admin.CreateProject();
        var task = (await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_media"))).Str("id");
        var uploaded = await _admin.PostMedia("frame.png", MediaBuilders.Png, ("task_id", task));
        var id = (await uploaded.Expect(HttpStatusCode.Created)).Str("id");

        var processed = await _admin.UntilProcessedAsync(id);
        var held = await _admin.SendWith(HttpMethod.Get, $"/api/v1/media/{id}", null, ("If-None-Match", "\"1\""));

        Assert.Equal("\"1\"", uploaded.ETag());
        Assert.Equal(2, processed.GetProperty("revision").GetInt32());
        Assert.Equal(("\"2\"", "ready"), (held.ETag(), (await held.Expect(HttpStatusCode.OK)).GetProperty("processing").Str("status")));
    }

    [Fact]
    public async Task Get_answers_the_etag_and_304_while_the_revision_stands()
    {
        var (_, id) = await ProcessedVersion();

        var got = await _admin.GetAsync($"/api/v1/media/{id}");
        var again = await _admin.SendWith(HttpMethod.Get, $"/api/v1/media/{id}", null, ("If-None-Match", got.ETag()!));

        Assert.Equal(("\"2\"", 2), (got.ETag(), (await got.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32()));
        Assert.Equal((HttpStatusCode.NotModified, "\"2\""), (again.StatusCode, again.ETag()));
    }

    [Fact]
    public async Task Patch_delete_and_approve_with_stale_etag_return_412_and_change_nothing()
    {
        var (_, id) = await ProcessedVersion();

        var patch = await _admin.SendWith(HttpMethod.Patch, $"/api/v1/media/{id}", new { description = "x" }, ("If-Match", "\"1\""));
        var approve = await _admin.SendWith(HttpMethod.Post, $"/api/v1/media/{id}/approve", new { approvalStatus = "approved" }, ("If-Match", "\"1\""));
        var delete = await _admin.SendWith(HttpMethod.Delete, $"/api/v1/media/{id}", null, ("If-Match", "\"1\""));

        foreach (var stale in new[] { patch, approve, delete })
        {
            Assert.Equal(2, (await stale.ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED")).GetProperty("details")[0].GetProperty("revision").GetInt32());
        }

        var media = await (await _admin.GetAsync($"/api/v1/media/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(("", "pending", 2), (media.Str("description"), media.Str("approvalStatus"), media.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task Patch_and_approve_with_the_current_etag_move_the_revision()
    {
        var (_, id) = await ProcessedVersion();

        var patched = await _admin.SendWith(HttpMethod.Patch, $"/api/v1/media/{id}", new { description = "Graded" }, ("If-Match", "\"2\""));
        var approved = await _admin.SendWith(HttpMethod.Post, $"/api/v1/media/{id}/approve", new { approvalStatus = "approved" }, ("If-Match", patched.ETag()!));
        var deleted = await _admin.SendWith(HttpMethod.Delete, $"/api/v1/media/{id}", null, ("If-Match", approved.ETag()!));

        Assert.Equal((3, "\"3\""), ((await patched.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32(), patched.ETag()));
        Assert.Equal((4, "\"4\""), ((await approved.Expect(HttpStatusCode.OK)).GetProperty("revision").GetInt32(), approved.ETag()));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task A_project_requiring_If_Match_answers_428_to_media_changes_without_it()
    {
        var (project, id) = await ProcessedVersion();
        await (await _admin.PatchJson($"/api/v1/projects/{project}", new { requireIfMatch = true })).Expect(HttpStatusCode.OK);

        var patch = await _admin.PatchJson($"/api/v1/media/{id}", new { description = "x" });
        var approve = await _admin.PostJson($"/api/v1/media/{id}/approve", new { approvalStatus = "approved" });
        var delete = await _admin.DeleteAsync($"/api/v1/media/{id}");

        foreach (var refused in new[] { patch, approve, delete })
        {
            Assert.Equal(["If-Match"], (await refused.ExpectError((HttpStatusCode)428, "PRECONDITION_REQUIRED")).Fields());
        }

        Assert.Equal(2, (await (await _admin.GetAsync($"/api/v1/media/{id}")).Json()).GetProperty("revision").GetInt32());
    }
}
