using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Tests.Features.Media;

/// <summary>Who may add, change and delete media versions, and what changing one does.</summary>
public abstract class MediaChangeTests<TApp>(TApp app) where TApp : TestApp
{
    private static readonly string[] FinalTags = ["final", "graded"];

    private readonly HttpClient _admin = app.Client;

    private async Task<(string Project, string Mine, string Theirs, TestUser Artist)> CrewAsync()
    {
        var project = await _admin.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        var mine = (await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_mine", ("artist", artist.Email)))).Str("id");
        var theirs = (await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_theirs", ("artist", "someone.else")))).Str("id");
        return (project, mine, theirs, artist);
    }

    [StorageFact]
    public async Task Artists_add_versions_to_their_own_tasks_only_and_viewers_and_outsiders_none()
    {
        var (project, mine, theirs, artist) = await CrewAsync();
        var viewer = await app.CreateUser(project, "viewer");
        var outsider = await app.CreateUser(await _admin.CreateProject(), "producer");

        var own = await artist.Client.UploadPng(mine);
        await (await artist.Client.PostMedia("x.png", MediaBuilders.Png, ("task_id", theirs))).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await artist.Client.PostMedia("x.txt", MediaBuilders.Text("x"), ("project_id", project))).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await viewer.Client.PostMedia("x.png", MediaBuilders.Png, ("task_id", mine))).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        var hidden = await (await outsider.Client.PostMedia("x.png", MediaBuilders.Png, ("task_id", mine))).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Equal(artist.Id, own.Str("author"));
        Assert.Equal($"Task '{mine}' not found", hidden.Str("message"));
        Assert.Equal(1, (await (await _admin.GetAsync($"/api/v1/media?project_id={project}")).Json()).GetProperty("total").GetInt64());
        await (await outsider.Client.GetAsync($"/api/v1/media/{own.Str("id")}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal(MediaBuilders.Png, await viewer.Client.GetByteArrayAsync($"/api/v1/media/{own.Str("id")}/download"));
    }

    [StorageFact]
    public async Task A_null_tag_is_400_naming_tags()
    {
        var (_, mine, _, _) = await CrewAsync();
        var id = (await _admin.UploadPng(mine)).Str("id");

        var error = await (await _admin.PatchRaw($"/api/v1/media/{id}", """{"tags": [null]}""")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["tags"], error.Fields());
    }

    [StorageFact]
    public async Task A_patch_changes_description_and_tags_only_and_moves_the_revision()
    {
        var (_, mine, _, _) = await CrewAsync();
        var id = (await _admin.UploadPng(mine, ("tags", "wip"))).Str("id");
        // Processing moves the revision too (1 → 2): wait for it so the patch's own step is the next one.
        await _admin.UntilProcessedAsync(id);

        var patched = await (await _admin.PatchJson($"/api/v1/media/{id}", new { description = "Graded", tags = FinalTags })).Expect(HttpStatusCode.OK);
        var unchanged = await (await _admin.PutJson($"/api/v1/media/{id}", new { description = "Graded" })).Expect(HttpStatusCode.OK);
        var other = await (await _admin.PatchJson($"/api/v1/media/{id}", new { fileName = "renamed.png" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(("Graded", 3), (patched.Str("description"), patched.GetProperty("revision").GetInt32()));
        Assert.Equal(["final", "graded"], patched.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(3, unchanged.GetProperty("revision").GetInt32());
        Assert.Equal(["fileName"], other.Fields());
        Assert.Equal(["final"], (await (await _admin.GetAsync($"/api/v1/media?tags=graded&task_id={mine}")).Json())
            .GetProperty("items").EnumerateArray().Select(m => m.GetProperty("tags")[0].GetString()));
    }

    [StorageFact]
    public async Task Authors_and_writers_change_or_delete_a_version_and_others_get_403()
    {
        var (project, mine, _, artist) = await CrewAsync();
        var supervisor = await app.CreateUser(project, "supervisor");
        var byAdmin = await _admin.UploadPng(mine);
        var byArtist = await artist.Client.UploadPng(mine);

        await (await artist.Client.PatchJson($"/api/v1/media/{byAdmin.Str("id")}", new { description = "mine now" })).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await artist.Client.DeleteAsync($"/api/v1/media/{byAdmin.Str("id")}")).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await artist.Client.PatchJson($"/api/v1/media/{byArtist.Str("id")}", new { description = "v2 notes" })).Expect(HttpStatusCode.OK);
        await (await supervisor.Client.DeleteAsync($"/api/v1/media/{byAdmin.Str("id")}")).Expect(HttpStatusCode.NoContent);
        await (await artist.Client.DeleteAsync($"/api/v1/media/{byArtist.Str("id")}")).Expect(HttpStatusCode.NoContent);

        Assert.Equal(0, (await (await _admin.GetAsync($"/api/v1/media?task_id={mine}")).Json()).GetProperty("total").GetInt64());
    }

    [StorageFact]
    public async Task A_deleted_version_is_gone_with_its_file_and_writes_its_event()
    {
        var (_, mine, _, _) = await CrewAsync();
        var media = await _admin.UploadPng(mine);
        var id = media.Str("id");
        var store = app.Services.GetRequiredService<IFileStore>();
        Assert.NotNull(await store.FindAsync(media.Str("storageKey"), default));

        await (await _admin.DeleteAsync($"/api/v1/media/{id}")).Expect(HttpStatusCode.NoContent);

        Assert.Null(await store.FindAsync(media.Str("storageKey"), default));
        await (await _admin.GetAsync($"/api/v1/media/{id}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await _admin.GetAsync($"/api/v1/media/{id}/download")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await _admin.DeleteAsync($"/api/v1/media/{id}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var types = await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT type FROM events WHERE entity_id = @id AND type <> 'media_processed' ORDER BY seq", new { id });
        Assert.Equal(["media_uploaded", "media_deleted"], types);
    }
}

public sealed class LocalMediaChangeTests(TestApp app) : MediaChangeTests<TestApp>(app), IClassFixture<TestApp>;

public sealed class S3MediaChangeTests(S3TestApp app) : MediaChangeTests<S3TestApp>(app), IClassFixture<S3TestApp>;
