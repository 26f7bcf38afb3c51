using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Infrastructure.Storage;
using static Montu.Server.Tests.UploadBuilders;

namespace Montu.Server.Tests.Features.Uploads;

/// <summary>
/// tus uploads from creation to media version, resumed after a dropped connection, on both
/// storage backends, over real connections: a connection that drops midway is what the protocol is for.
/// </summary>
public abstract class ResumableUploadTests<TApp>(TApp app) where TApp : TestApp
{
    private readonly HttpClient _client = app.Client;

    private async Task<(string Project, string Task)> ProjectAndTask(string? artist = null)
    {
        var project = await _client.CreateProject();
        var task = TaskBuilders.ShotTask(project, episode: project);
        task["artist"] = artist;
        return (project, (await _client.CreateTask(task)).Str("id"));
    }

    [StorageFact]
    public async Task Patches_in_parts_make_a_media_version_as_POST_media_does_and_HEAD_follows_them()
    {
        var (project, task) = await ProjectAndTask();
        var file = Exr(300_000);
        var me = await (await _client.GetAsync("/api/v1/auth/me")).Json();

        var created = await _client.CreateUpload(file.Length, Metadata(("filename", "plate.exr"), ("taskId", task), ("description", "Graded plate"), ("tags", "plate, graded")));
        var upload = await created.Expect(HttpStatusCode.Created);
        var url = created.Headers.Location!.OriginalString;
        Assert.Equal($"{UploadsUrl}/{upload.Str("id")}", url);
        Assert.Equal((project, task, "plate.exr", 300_000L, 0L), (upload.Str("projectId"), upload.Str("taskId"), upload.Str("fileName"), upload.GetProperty("length").GetInt64(), upload.GetProperty("offset").GetInt64()));
        Assert.Equal("1.0.0", created.Header("Tus-Resumable"));
        Assert.Equal(DateTimeOffset.Parse(upload.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture).ToString("R"), created.Header("Upload-Expires"));

        var first = await _client.PatchUpload(url, 0, file[..100_000]);
        await first.Expect(HttpStatusCode.NoContent);
        Assert.Equal(("100000", "1.0.0"), (first.Header("Upload-Offset"), first.Header("Tus-Resumable")));
        Assert.Equal(created.Header("Upload-Expires"), first.Header("Upload-Expires"));
        using (var head = await _client.HeadUpload(url))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(("100000", "300000", "1.0.0"), (head.Header("Upload-Offset"), head.Header("Upload-Length"), head.Header("Tus-Resumable")));
            Assert.Equal("no-store", head.Headers.CacheControl?.ToString());
            Assert.StartsWith("filename cGxhdGUuZXhy,taskId ", head.Header("Upload-Metadata"));
            Assert.Equal("", head.Header("Upload-Media-Id"));
        }

        await (await _client.PatchUpload(url, 100_000, file[100_000..250_000])).Expect(HttpStatusCode.NoContent);
        var last = await _client.PatchUpload(url, 250_000, file[250_000..]);
        await last.Expect(HttpStatusCode.NoContent);

        var mediaId = last.Header("Upload-Media-Id");
        Assert.Equal("300000", last.Header("Upload-Offset"));
        Assert.Equal("", last.Header("Upload-Expires"));
        var media = await (await _client.GetAsync($"/api/v1/media/{mediaId}")).Expect(HttpStatusCode.OK);
        Assert.Equal((project, task, "v001", me.Str("userId")), (media.Str("projectId"), media.Str("linkedTaskId"), media.Str("linkedVersion"), media.Str("author")));
        Assert.Equal(("plate.exr", "image", "image/x-exr", "Graded plate"), (media.Str("fileName"), media.Str("mediaType"), media.Str("contentType"), media.Str("description")));
        Assert.Equal(["plate", "graded"], media.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(file)), media.GetProperty("metadata").Str("checksum"));
        Assert.Equal(file.Length, media.GetProperty("metadata").GetProperty("fileSize").GetInt64());
        Assert.Equal($"media/{task}/v001/{mediaId}/plate.exr", media.Str("storageKey"));
        Assert.Equal(file, await _client.GetByteArrayAsync($"/api/v1/media/{mediaId}/download"));
        Assert.Equal([mediaId], (await (await _client.GetAsync($"/api/v1/tasks/{task}/media")).Json()).EnumerateArray().Select(m => m.Str("id")));
        await using (var connection = await app.Db.OpenAsync(CancellationToken.None))
        {
            Assert.Equal("media_uploaded", await connection.ExecuteScalarAsync<string>("SELECT type FROM events WHERE entity_id = @mediaId", new { mediaId }));
        }

        using var after = await _client.HeadUpload(url);
        Assert.Equal(("300000", "300000", mediaId), (after.Header("Upload-Offset"), after.Header("Upload-Length"), after.Header("Upload-Media-Id")));
        await AssertNoBytesLeft(upload.Str("id"));
    }

    [StorageFact]
    public async Task A_PATCH_cut_off_midway_keeps_what_arrived_and_the_upload_resumes_from_HEAD()
    {
        var (_, task) = await ProjectAndTask();
        var file = Exr(200_000, seed: 2);
        var url = await _client.StartUpload(file.Length, ("filename", "plate.exr"), ("task_id", task));

        var (status, answer) = await PatchThenStall(url, file, sent: 70_000);

        Assert.Equal(204, status);
        Assert.Contains("Upload-Offset: 70000\r\n", answer);
        var offset = await _client.OffsetOf(url);
        Assert.Equal(70_000, offset);
        await (await _client.PatchUpload(url, 0, file)).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        var resumed = await _client.PatchUpload(url, offset, file[(int)offset..]);
        await resumed.Expect(HttpStatusCode.NoContent);

        var mediaId = resumed.Header("Upload-Media-Id");
        var media = await (await _client.GetAsync($"/api/v1/media/{mediaId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(file)), media.GetProperty("metadata").Str("checksum"));
        Assert.Equal(file, await _client.GetByteArrayAsync($"/api/v1/media/{mediaId}/download"));
    }

    [StorageFact]
    public async Task A_file_sent_whole_with_its_creation_is_a_version_at_once_and_versions_count_on()
    {
        var (_, task) = await ProjectAndTask();
        await _client.UploadPng(task);
        var file = Exr(50_000, seed: 3);

        var created = await _client.CreateUpload(file.Length, Metadata(("filename", "whole.exr"), ("task_id", task)), firstBytes: file);
        var upload = await created.Expect(HttpStatusCode.Created);

        var mediaId = created.Header("Upload-Media-Id");
        Assert.Equal(("50000", 50_000L, mediaId), (created.Header("Upload-Offset"), upload.GetProperty("offset").GetInt64(), upload.Str("mediaId")));
        var listed = (await (await _client.GetAsync($"/api/v1/tasks/{task}/media")).Json()).EnumerateArray().ToList();
        Assert.Equal(["v002", "v001"], listed.Select(m => m.Str("linkedVersion")));
        Assert.Equal(mediaId, listed[0].Str("id"));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(file)), listed[0].GetProperty("metadata").Str("checksum"));
        Assert.Equal(file, await _client.GetByteArrayAsync($"/api/v1/media/{mediaId}/download"));
        await AssertNoBytesLeft(upload.Str("id"));
    }

    [StorageFact]
    public async Task First_bytes_arriving_a_few_at_a_time_are_judged_once_all_are_there()
    {
        var (project, _) = await ProjectAndTask();
        var file = Exr(40, seed: 4);
        var url = await _client.StartUpload(file.Length, ("filename", "tiny.exr"), ("project_id", project));

        await (await _client.PatchUpload(url, 0, file[..3])).Expect(HttpStatusCode.NoContent);
        await (await _client.PatchUpload(url, 3, file[3..9])).Expect(HttpStatusCode.NoContent);
        var last = await _client.PatchUpload(url, 9, file[9..]);
        await last.Expect(HttpStatusCode.NoContent);

        var media = await (await _client.GetAsync($"/api/v1/media/{last.Header("Upload-Media-Id")}")).Expect(HttpStatusCode.OK);
        Assert.Equal((project, JsonValueKind.Null, "image"), (media.Str("projectId"), media.GetProperty("linkedTaskId").ValueKind, media.Str("mediaType")));
        Assert.Equal(file, await _client.GetByteArrayAsync($"/api/v1/media/{media.Str("id")}/download"));
    }

    [StorageFact]
    public async Task A_file_whose_first_bytes_are_not_its_type_is_415_and_the_upload_is_gone()
    {
        var (_, task) = await ProjectAndTask();
        var url = await _client.StartUpload(1000, ("filename", "beauty.png"), ("task_id", task));
        var notPng = MediaBuilders.Text(new string('x', 1000));

        await (await _client.PatchUpload(url, 0, notPng[..10])).Expect(HttpStatusCode.NoContent);
        var error = await (await _client.PatchUpload(url, 10, notPng[10..])).ExpectError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");

        Assert.Equal("'beauty.png' does not hold PNG data, as its extension says", error.Str("message"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.HeadUpload(url)).StatusCode);
        await AssertNoBytesLeft(url.Split('/')[^1]);
        Assert.Equal(0, (await (await _client.GetAsync($"/api/v1/media?task_id={task}")).Json()).GetProperty("total").GetInt64());
    }

    [StorageFact]
    public async Task A_wrong_offset_is_409_and_bytes_past_the_length_are_413_keeping_the_upload()
    {
        var (_, task) = await ProjectAndTask();
        var file = Exr(1000, seed: 5);
        var url = await _client.StartUpload(file.Length, ("filename", "plate.exr"), ("task_id", task));
        await (await _client.PatchUpload(url, 0, file[..400])).Expect(HttpStatusCode.NoContent);

        var behind = await (await _client.PatchUpload(url, 0, file)).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        var ahead = await (await _client.PatchUpload(url, 500, file[500..])).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        var tooLong = await (await _client.PatchUpload(url, 400, [.. file[400..], 0])).ExpectError(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        var chunked = await (await _client.PatchUpload(url, 400, new ChunkedBody([.. file[400..], 1, 2]))).ExpectError(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");

        Assert.Equal(["Upload-Offset"], behind.Fields());
        Assert.Contains("holds 400 bytes", ahead.Str("message"));
        Assert.Contains("600 more bytes complete this upload", tooLong.Str("message"));
        Assert.Contains("600 more bytes complete this upload", chunked.Str("message"));
        Assert.Equal(400, await _client.OffsetOf(url));
        await (await _client.PatchUpload(url, 400, file[400..])).Expect(HttpStatusCode.NoContent);
    }

    [StorageFact]
    public async Task A_PATCH_needs_its_content_type_and_offset()
    {
        var (_, task) = await ProjectAndTask();
        var url = await _client.StartUpload(10, ("filename", "notes.txt"), ("task_id", task));
        var json = Tus(HttpMethod.Patch, url);
        json.Headers.Add("Upload-Offset", "0");
        json.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        var noOffset = Tus(HttpMethod.Patch, url);
        noOffset.Content = Bytes([1, 2]);

        var wrongType = await (await _client.SendAsync(json)).ExpectError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        var missing = await (await _client.SendAsync(noOffset)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var negative = await (await _client.PatchUpload(url, -1, [1])).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Contains("application/offset+octet-stream", wrongType.Str("message"));
        Assert.Equal(["Upload-Offset"], missing.Fields());
        Assert.Equal(["Upload-Offset"], negative.Fields());
    }

    [StorageFact]
    public async Task Without_Tus_Resumable_1_0_0_every_route_is_412_naming_the_version_spoken()
    {
        var (_, task) = await ProjectAndTask();
        var url = await _client.StartUpload(10, ("filename", "notes.txt"), ("task_id", task));
        var requests = new[] { new HttpRequestMessage(HttpMethod.Post, UploadsUrl), new HttpRequestMessage(HttpMethod.Patch, url), new HttpRequestMessage(HttpMethod.Delete, url) };
        var oldVersion = new HttpRequestMessage(HttpMethod.Post, UploadsUrl);
        oldVersion.Headers.Add("Tus-Resumable", "0.2.2");

        foreach (var request in requests.Append(oldVersion))
        {
            using var response = await _client.SendAsync(request);
            var error = await response.ExpectError(HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED");
            Assert.Equal(("1.0.0", "1.0.0"), (response.Header("Tus-Version"), response.Header("Tus-Resumable")));
            Assert.Contains("Tus-Resumable", error.Str("message"));
        }

        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal((HttpStatusCode.PreconditionFailed, "1.0.0"), (head.StatusCode, head.Header("Tus-Version")));
        Assert.Equal(0, await _client.OffsetOf(url));
    }

    [StorageFact]
    public async Task OPTIONS_says_the_version_extensions_and_largest_file_and_even_a_401_speaks_tus()
    {
        using var options = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Options, UploadsUrl));
        using var anonymous = await app.Anonymous().SendAsync(Tus(HttpMethod.Head, $"{UploadsUrl}/upload_x"));

        Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
        Assert.Equal(("1.0.0", "1.0.0", "2147483648"), (options.Header("Tus-Version"), options.Header("Tus-Resumable"), options.Header("Tus-Max-Size")));
        Assert.Equal("creation,creation-with-upload,termination,expiration", options.Header("Tus-Extension"));
        Assert.Equal((HttpStatusCode.Unauthorized, "1.0.0"), (anonymous.StatusCode, anonymous.Header("Tus-Resumable")));
    }

    [StorageFact]
    public async Task Creation_checks_the_metadata_type_and_size_before_a_byte_is_sent()
    {
        var (_, task) = await ProjectAndTask();

        var unknown = await (await _client.CreateUpload(10, Metadata(("filename", "a.txt"), ("tsak_id", task)))).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var noName = await (await _client.CreateUpload(10, Metadata(("task_id", task)))).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var notBase64 = await (await _client.CreateUpload(10, $"filename a.txt,task_id {task}")).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var noLength = await (await SendWithout("Upload-Length", task)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var deferred = Tus(HttpMethod.Post, UploadsUrl);
        deferred.Headers.Add("Upload-Defer-Length", "1");
        deferred.Headers.Add("Upload-Metadata", Metadata(("filename", "a.txt"), ("task_id", task)));
        var later = await (await _client.SendAsync(deferred)).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var badVersion = await (await _client.CreateUpload(10, Metadata(("filename", "a.txt"), ("task_id", task), ("version", "final")))).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var type = await (await _client.CreateUpload(10, Metadata(("filename", "tool.exe"), ("task_id", task)))).ExpectError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        var huge = await (await _client.CreateUpload(2L * 1024 * 1024 * 1024 + 1, Metadata(("filename", "a.exr"), ("task_id", task)))).ExpectError(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        var longBody = await (await _client.CreateUpload(2, Metadata(("filename", "a.txt"), ("task_id", task)), firstBytes: [1, 2, 3])).ExpectError(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");

        Assert.Equal("Unknown Upload-Metadata key 'tsak_id'; did you mean 'task_id'?", unknown.Str("message"));
        Assert.Equal(["filename"], noName.Fields());
        Assert.Equal(["filename", "task_id"], notBase64.Fields());
        Assert.Equal(["Upload-Length"], noLength.Fields());
        Assert.Equal(["Upload-Defer-Length", "Upload-Length"], later.Fields());
        Assert.Equal(["version"], badVersion.Fields());
        Assert.StartsWith("Files of type '.exe' are not accepted", type.Str("message"));
        Assert.Contains("MAX_FILE_SIZE", huge.Str("message"));
        Assert.Contains("longer than Upload-Length", longBody.Str("message"));
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM resumable_uploads WHERE task_id = @task", new { task }));
    }

    [StorageFact]
    public async Task Creation_refuses_tasks_the_caller_cannot_see_or_change_and_a_taken_version()
    {
        var (project, task) = await ProjectAndTask(artist: "someone_else");
        var (_, foreignTask) = await ProjectAndTask();
        var artist = await app.CreateUser(project, "artist");
        var viewer = await app.CreateUser(project, "viewer");
        await _client.UploadPng(task, ("version", "3"));

        var foreign = await (await artist.Client.CreateUpload(10, Metadata(("filename", "a.txt"), ("task_id", foreignTask)))).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var missing = await (await artist.Client.CreateUpload(10, Metadata(("filename", "a.txt"), ("task_id", "no_such_task")))).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        var notTheirs = await (await artist.Client.CreateUpload(10, Metadata(("filename", "a.txt"), ("task_id", task)))).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        var readOnly = await (await viewer.Client.CreateUpload(10, Metadata(("filename", "a.txt"), ("project_id", project)))).ExpectError(HttpStatusCode.Forbidden, "FORBIDDEN");
        var taken = await (await _client.CreateUpload(10, Metadata(("filename", "a.txt"), ("task_id", task), ("version", "v003")))).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Equal($"Task '{foreignTask}' not found", foreign.Str("message"));
        Assert.Equal("Task 'no_such_task' not found", missing.Str("message"));
        Assert.Contains("assigned to 'someone_else'", notTheirs.Str("message"));
        Assert.Contains("'viewer'", readOnly.Str("message"));
        Assert.Equal(["version"], taken.Fields());
    }

    [StorageFact]
    public async Task Only_its_creator_sees_sends_to_or_ends_an_upload()
    {
        var (project, task) = await ProjectAndTask();
        var producer = await app.CreateUser(project, "producer");
        var url = await _client.StartUpload(10, ("filename", "notes.txt"), ("task_id", task));

        using var head = await producer.Client.HeadUpload(url);
        var patch = await (await producer.Client.PatchUpload(url, 0, MediaBuilders.Text("0123456789"))).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await producer.Client.DeleteUpload(url)).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.StartsWith($"Upload '{url.Split('/')[^1]}' not found", patch.Str("message"));
        Assert.Equal(0, await _client.OffsetOf(url));
    }

    [StorageFact]
    public async Task Termination_removes_the_upload_and_its_bytes()
    {
        var (_, task) = await ProjectAndTask();
        var file = Exr(5000, seed: 6);
        var url = await _client.StartUpload(file.Length, ("filename", "plate.exr"), ("task_id", task));
        await (await _client.PatchUpload(url, 0, file[..2000])).Expect(HttpStatusCode.NoContent);
        Assert.NotEmpty(await Store().ListAsync($"uploads/tus/{url.Split('/')[^1]}/", default).ToListAsync());

        using var ended = await _client.DeleteUpload(url);

        Assert.Equal((HttpStatusCode.NoContent, "1.0.0"), (ended.StatusCode, ended.Header("Tus-Resumable")));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.HeadUpload(url)).StatusCode);
        await (await _client.PatchUpload(url, 2000, file[2000..])).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await _client.DeleteUpload(url)).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await AssertNoBytesLeft(url.Split('/')[^1]);
    }

    [StorageFact]
    public async Task Of_two_PATCHes_from_one_offset_the_later_one_stores_and_the_earlier_is_409()
    {
        var (_, task) = await ProjectAndTask();
        var file = Exr(60_000, seed: 7);
        var stale = Exr(60_000, seed: 8);
        var url = await _client.StartUpload(file.Length, ("filename", "plate.exr"), ("task_id", task));
        var gate = new TaskCompletionSource();

        var earlier = Streaming().PatchUpload(url, 0, new GatedBody(stale[..30_000], 1000, gate.Task));
        await WaitForHolder(url.Split('/')[^1]);
        var later = await _client.PatchUpload(url, 0, file[..30_000]);
        gate.SetResult();

        await later.Expect(HttpStatusCode.NoContent);
        await (await earlier).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal(30_000, await _client.OffsetOf(url));
        var last = await _client.PatchUpload(url, 30_000, file[30_000..]);
        await last.Expect(HttpStatusCode.NoContent);
        Assert.Equal(file, await _client.GetByteArrayAsync($"/api/v1/media/{last.Header("Upload-Media-Id")}/download"));
        await AssertNoBytesLeft(url.Split('/')[^1]);
    }

    [StorageFact]
    public async Task A_version_taken_while_the_upload_ran_is_409_at_the_last_byte_and_nothing_is_kept()
    {
        var (_, task) = await ProjectAndTask();
        var file = Exr(2000, seed: 9);
        var url = await _client.StartUpload(file.Length, ("filename", "plate.exr"), ("task_id", task), ("version", "2"));
        await (await _client.PatchUpload(url, 0, file[..1000])).Expect(HttpStatusCode.NoContent);
        await _client.UploadPng(task, ("version", "v002"));

        var error = await (await _client.PatchUpload(url, 1000, file[1000..])).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Equal(["version"], error.Fields());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.HeadUpload(url)).StatusCode);
        Assert.Equal(["v002"], (await (await _client.GetAsync($"/api/v1/tasks/{task}/media")).Json()).EnumerateArray().Select(m => m.Str("linkedVersion")));
        await AssertNoBytesLeft(url.Split('/')[^1]);
    }

    [StorageFact]
    public async Task An_assigned_artist_uploads_to_their_task()
    {
        var project = await _client.CreateProject();
        var artist = await app.CreateUser(project, "artist");
        var task = (await _client.CreateTask(TaskBuilders.NamedTask(project, $"{project.ToLowerInvariant()}_mine", ("artist", artist.Id)))).Str("id");
        var file = Exr(3000, seed: 10);

        var url = await artist.Client.StartUpload(file.Length, ("filename", "mine.exr"), ("task_id", task));
        var done = await artist.Client.PatchUpload(url, 0, file);
        await done.Expect(HttpStatusCode.NoContent);

        var media = await (await _client.GetAsync($"/api/v1/media/{done.Header("Upload-Media-Id")}")).Expect(HttpStatusCode.OK);
        Assert.Equal((artist.Id, "v001"), (media.Str("author"), media.Str("linkedVersion")));
    }

    private async Task<HttpResponseMessage> SendWithout(string header, string task)
    {
        var request = Tus(HttpMethod.Post, UploadsUrl);
        request.Headers.Add("Upload-Metadata", Metadata(("filename", "a.txt"), ("task_id", task)));
        Assert.False(request.Headers.Contains(header));
        return await _client.SendAsync(request);
    }

    /// <summary>
    /// A plain client of the server, signed in as the admin: the test host's own clients read a
    /// whole body before sending it (to send it again after a redirect), this one streams it as
    /// it is written.
    /// </summary>
    private HttpClient Streaming()
    {
        var client = new HttpClient { BaseAddress = _client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = _client.DefaultRequestHeaders.Authorization;
        return client;
    }

    private IFileStore Store() => app.Services.GetRequiredService<IFileStore>();

    /// <summary>Neither the upload's parts nor a temporary media object are left in storage.</summary>
    private async Task AssertNoBytesLeft(string uploadId)
    {
        Assert.Empty(await Store().ListAsync($"uploads/tus/{uploadId}/", default).ToListAsync());
        Assert.Empty(await Store().ListAsync("uploads/media/", default).ToListAsync());
    }

    /// <summary>The upload's offset once <paramref name="reached"/> holds, as the server finishes the request a client gave up on.</summary>
    private async Task<long> WaitForOffset(string url, Func<long, bool> reached)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var offset = await _client.OffsetOf(url);
            if (reached(offset) || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                return offset;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// A PATCH of the whole file that stops sending after <paramref name="sent"/> bytes of it and
    /// waits, as a client behind a VPN that dropped: the server gives up on the body when no byte
    /// has come for a while (<see cref="StallingServers"/>) and answers what it kept.
    /// </summary>
    private async Task<(int Status, string Answer)> PatchThenStall(string url, byte[] file, int sent)
    {
        var address = _client.BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var head = $"PATCH {url} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: {_client.DefaultRequestHeaders.Authorization}\r\n" +
                   $"Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: {file.Length}\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(file.AsMemory(0, sent));
        var answer = await new StreamReader(stream).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (int.Parse(answer.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), answer);
    }

    /// <summary>Until a PATCH holds the upload.</summary>
    private async Task WaitForHolder(string uploadId)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        while (await connection.ExecuteScalarAsync<string?>("SELECT patch_id FROM resumable_uploads WHERE id = @uploadId", new { uploadId }) is null)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "No PATCH held the upload");
            await Task.Delay(10);
        }
    }

    /// <summary>A body that sends its first bytes, then waits for a gate to open before the rest.</summary>
    private sealed class GatedBody : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly int _first;
        private readonly Task _gate;

        public GatedBody(byte[] bytes, int first, Task gate)
        {
            (_bytes, _first, _gate) = (bytes, first, gate);
            Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, _first));
            await stream.FlushAsync();
            await _gate;
            await stream.WriteAsync(_bytes.AsMemory(_first));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }

    /// <summary>A body without a Content-Length, as a streaming client sends it.</summary>
    private sealed class ChunkedBody : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedBody(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>
/// The server on a real listener that gives up on a request body when bytes stop coming for a
/// few seconds (Kestrel's minimum data rate, 64 KiB/s after two seconds), as a server gives up on a
/// connection a VPN dropped, only sooner.
/// </summary>
public static class StallingServers
{
    public static void GiveUpOnStalledBodies(IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(64 * 1024, TimeSpan.FromSeconds(2)));

    /// <summary>Files in a local directory.</summary>
    public sealed class Local : TestApp
    {
        public Local()
        {
            UseKestrel(0);
        }

        protected override void ConfigureServices(IServiceCollection services) => GiveUpOnStalledBodies(services);
    }

    /// <summary>Files in a bucket of the S3 test server.</summary>
    public sealed class S3 : S3TestApp
    {
        public S3()
        {
            UseKestrel(0);
        }

        protected override void ConfigureServices(IServiceCollection services) => GiveUpOnStalledBodies(services);
    }
}

public sealed class LocalResumableUploadTests(StallingServers.Local app) : ResumableUploadTests<StallingServers.Local>(app), IClassFixture<StallingServers.Local>;

public sealed class S3ResumableUploadTests(StallingServers.S3 app) : ResumableUploadTests<StallingServers.S3>(app), IClassFixture<StallingServers.S3>;
