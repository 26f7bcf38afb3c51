using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Tests.Features.Media;

public abstract class MediaUploadTests<TApp>(TApp app) where TApp : TestApp
{
    private readonly HttpClient _client = app.Client;

    private async Task<(string Project, string Task)> ProjectAndTask()
    {
        var project = await _client.CreateProject();
        return (project, (await _client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id"));
    }

    [StorageFact]
    public async Task An_upload_answers_201_with_the_version_and_its_bytes_download_unchanged()
    {
        var (project, task) = await ProjectAndTask();
        var me = await (await _client.GetAsync("/api/v1/auth/me")).Json();

        var response = await _client.PostMedia("beauty.png", MediaBuilders.Png, ("task_id", task), ("description", "Beauty pass"), ("tags", "lighting, beauty"), ("tags", "wip"));
        var media = await response.Expect(HttpStatusCode.Created);

        var id = media.Str("id");
        Assert.StartsWith("media_", id);
        Assert.Equal($"/api/v1/media/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal((project, task, "v001", me.Str("userId")), (media.Str("projectId"), media.Str("linkedTaskId"), media.Str("linkedVersion"), media.Str("author")));
        Assert.Equal(("beauty.png", "image", ".png", "image/png"), (media.Str("fileName"), media.Str("mediaType"), media.Str("fileExtension"), media.Str("contentType")));
        Assert.Equal(["lighting", "beauty", "wip"], media.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Beauty pass", media.Str("description"));
        Assert.Equal(MediaBuilders.Png.Length, media.GetProperty("metadata").GetProperty("fileSize").GetInt64());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(MediaBuilders.Png)), media.GetProperty("metadata").Str("checksum"));
        Assert.Equal("pending", media.GetProperty("processing").Str("status"));
        Assert.Equal(("pending", 1), (media.Str("approvalStatus"), media.GetProperty("revision").GetInt32()));
        Assert.Equal($"/api/v1/media/{id}/download", media.Str("storageUrl"));
        Assert.Equal($"media/{task}/v001/{id}/beauty.png", media.Str("storageKey"));
        Assert.Equal(media.ToString(), (await (await _client.GetAsync($"/api/v1/media/{id}")).Expect(HttpStatusCode.OK)).ToString());
        Assert.Equal(MediaBuilders.Png, await _client.GetByteArrayAsync($"/api/v1/media/{id}/download"));
    }

    [StorageFact]
    public async Task Versions_count_up_per_task_and_a_taken_version_is_409()
    {
        var (_, task) = await ProjectAndTask();

        var first = await _client.UploadPng(task);
        var second = await _client.UploadPng(task);
        var chosen = await _client.UploadPng(task, ("version", "7"));
        var after = await _client.UploadPng(task);
        var taken = await (await _client.PostMedia("beauty.png", MediaBuilders.Png, ("task_id", task), ("version", "v002")))
            .ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Equal(["v001", "v002", "v007", "v008"], new[] { first, second, chosen, after }.Select(m => m.Str("linkedVersion")));
        Assert.Equal(["version"], taken.Fields());
        Assert.Equal(4, (await (await _client.GetAsync($"/api/v1/media?task_id={task}")).Json()).GetProperty("total").GetInt64());
    }

    [StorageFact]
    public async Task Fields_may_follow_the_file_and_may_be_camelCase()
    {
        var (_, task) = await ProjectAndTask();

        var media = await (await _client.PostAsync("/api/v1/media", MediaBuilders.Form("plate.png", MediaBuilders.Png, [("taskId", task), ("version", "003")], fileFirst: true)))
            .Expect(HttpStatusCode.Created);

        Assert.Equal((task, "v003"), (media.Str("linkedTaskId"), media.Str("linkedVersion")));
    }

    [StorageFact]
    public async Task A_target_sent_again_after_the_file_is_400_and_nothing_is_kept()
    {
        var (project, task) = await ProjectAndTask();
        var (_, otherTask) = await ProjectAndTask();
        var form = MediaBuilders.Form("plate.png", MediaBuilders.Png, [("task_id", task)]);
        form.Add(new StringContent(otherTask), "task_id");

        var error = await (await _client.PostAsync("/api/v1/media", form)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(("task_id", "DUPLICATE_VALUE"), (error.GetProperty("details")[0].Str("field"), error.GetProperty("details")[0].Str("code")));
        Assert.Equal(0, (await (await _client.GetAsync($"/api/v1/media?project_id={project}")).Expect(HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [StorageFact]
    public async Task A_project_level_reference_file_has_no_task_version_or_preview()
    {
        var (project, _) = await ProjectAndTask();

        var media = await (await _client.PostMedia("notes.txt", MediaBuilders.Text("Rain in every shot"), ("project_id", project))).Expect(HttpStatusCode.Created);

        Assert.Equal(System.Text.Json.JsonValueKind.Null, media.GetProperty("linkedTaskId").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, media.GetProperty("linkedVersion").ValueKind);
        Assert.Equal(("document", "text/plain"), (media.Str("mediaType"), media.Str("contentType")));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, media.GetProperty("thumbnailUrl").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, media.GetProperty("streamUrl").ValueKind);
    }

    [StorageFact]
    public async Task A_file_whose_bytes_are_not_its_type_is_415_and_nothing_is_kept()
    {
        var (_, task) = await ProjectAndTask();

        var error = await (await _client.PostMedia("beauty.png", MediaBuilders.Text("not an image at all"), ("task_id", task)))
            .ExpectError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");

        Assert.Equal("'beauty.png' does not hold PNG data, as its extension says", error.Str("message"));
        await AssertNothingStored(task);
    }

    [StorageTheory]
    [InlineData("tool.exe", "'.exe'")]
    [InlineData("README", "'(no extension)'")]
    public async Task A_type_not_accepted_is_415_naming_it(string fileName, string named)
    {
        var (_, task) = await ProjectAndTask();

        var error = await (await _client.PostMedia(fileName, MediaBuilders.Text("x"), ("task_id", task)))
            .ExpectError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");

        Assert.StartsWith($"Files of type {named} are not accepted; accepted: .aac .abc", error.Str("message"));
        await AssertNothingStored(task);
    }

    [StorageFact]
    public async Task A_path_in_the_file_name_is_cut_to_its_last_segment()
    {
        var (_, task) = await ProjectAndTask();

        var media = await (await _client.PostMedia("../../secrets/..\\evil\u0007.txt", MediaBuilders.Text("x"), ("task_id", task))).Expect(HttpStatusCode.Created);

        Assert.Equal("evil.txt", media.Str("fileName"));
        Assert.DoesNotContain("..", media.Str("storageKey"));
    }

    [StorageTheory]
    [InlineData("tsak_id", "Unknown field 'tsak_id'; did you mean 'task_id'?")]
    [InlineData("versoin", "Unknown field 'versoin'; did you mean 'version'?")]
    public async Task An_unknown_field_is_400_with_the_one_meant(string field, string message)
    {
        var (_, task) = await ProjectAndTask();

        var error = await (await _client.PostMedia("beauty.png", MediaBuilders.Png, ("task_id", task), (field, "x"))).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(message, error.Str("message"));
        await AssertNothingStored(task);
    }

    [StorageFact]
    public async Task Without_a_file_or_a_target_or_as_json_the_upload_says_what_to_send()
    {
        var (_, task) = await ProjectAndTask();
        var noFile = new MultipartFormDataContent { { new StringContent(task), "task_id" } };

        var missingFile = await (await _client.PostAsync("/api/v1/media", noFile)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var missingTarget = await (await _client.PostMedia("beauty.png", MediaBuilders.Png)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var json = await (await _client.PostJson("/api/v1/media", new { task_id = task })).ExpectError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        var badVersion = await (await _client.PostMedia("beauty.png", MediaBuilders.Png, ("task_id", task), ("version", "final"))).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["file"], missingFile.Fields());
        Assert.Equal(["task_id"], missingTarget.Fields());
        Assert.Contains("multipart/form-data", json.Str("message"));
        Assert.Equal(["version"], badVersion.Fields());
        await AssertNothingStored(task);
    }

    [StorageFact]
    public async Task A_missing_task_is_404_and_an_archived_one_422()
    {
        var (_, task) = await ProjectAndTask();
        await (await _client.DeleteAsync($"/api/v1/tasks/{task}")).Expect(HttpStatusCode.OK);

        await (await _client.PostMedia("beauty.png", MediaBuilders.Png, ("task_id", "no_such_task"))).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await _client.PostMedia("beauty.png", MediaBuilders.Png, ("task_id", task))).ExpectError(HttpStatusCode.UnprocessableEntity, "BUSINESS_RULE_VIOLATION");
        await AssertNothingStored(task);
    }

    [StorageFact]
    public async Task An_upload_writes_its_event_and_counts_in_the_project_stats()
    {
        var (project, task) = await ProjectAndTask();

        var media = await _client.UploadPng(task);
        await _client.PostMedia("notes.txt", MediaBuilders.Text("four"), ("project_id", project));

        var stats = await (await _client.GetAsync($"/api/v1/projects/{project}/stats")).Json();
        Assert.Equal(2, stats.GetProperty("totalMediaFiles").GetInt64());
        Assert.Equal(MediaBuilders.Png.Length + 4, stats.GetProperty("totalStorageSizeBytes").GetInt64());
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var type = await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT type FROM events WHERE entity_id = @id ORDER BY seq LIMIT 1", new { id = media.Str("id") });
        Assert.Equal("media_uploaded", type);
    }

    /// <summary>No version was listed, and no file was left in storage, uploads in progress included.</summary>
    private async Task AssertNothingStored(string task)
    {
        Assert.Equal(0, (await (await _client.GetAsync($"/api/v1/media?task_id={task}")).Json()).GetProperty("total").GetInt64());
        var store = app.Services.GetRequiredService<IFileStore>();
        Assert.Empty(await store.ListAsync("uploads/", default).ToListAsync());
        Assert.Empty(await store.ListAsync($"media/{task}/", default).ToListAsync());
    }
}

public sealed class LocalMediaUploadTests(TestApp app) : MediaUploadTests<TestApp>(app), IClassFixture<TestApp>;

public sealed class S3MediaUploadTests(S3TestApp app) : MediaUploadTests<S3TestApp>(app), IClassFixture<S3TestApp>;
