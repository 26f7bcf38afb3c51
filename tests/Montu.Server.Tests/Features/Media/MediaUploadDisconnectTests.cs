using System.Net;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Tests.Features.Media;

/// <summary>
/// A client that goes away in the middle of its file (the connection reset) leaves nothing: no
/// version, no object, no write in progress in storage, and the task takes its next upload as v001.
/// On a real Kestrel listener: the in-memory test server has no connection to drop.
/// </summary>
public abstract class MediaUploadDisconnectTests<TApp>(TApp app) where TApp : TestApp
{
    private const long FileBytes = 64L << 20;

    /// <summary>Past the first S3 part, so that on S3 a multipart upload with a stored part is under way when the client goes.</summary>
    private const long SentBytes = S3FileStore.PartSize + (4L << 20);

    protected TApp App => app;

    [StorageFact]
    public async Task A_client_gone_mid_file_leaves_no_version_no_bytes_and_no_write_in_progress()
    {
        var client = app.Client;
        var project = await client.CreateProject();
        var task = (await client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id");

        using (var upload = await RawHttp.StartUpload(client, task, "cache.abc", FileBytes, SentBytes))
        {
            Assert.True(await Poll.Eventually(async () => (await WritesInProgress()).Count == 1, done => done), "The file never started on its way to storage");
            RawHttp.Reset(upload);
        }

        Assert.True(await Poll.Eventually(async () => (await WritesInProgress()).Count == 0, done => done), "The dropped upload's write was never undone");
        // A client going away is no failure of the server's.
        var warnings = app.Logs.Lines.Where(l => l.Level >= LogLevel.Warning).Select(l => $"{l.Level} {l.Category}: {l.Text}").ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
        Assert.Equal(0, (await (await client.GetAsync($"/api/v1/media?task_id={task}")).Json()).GetProperty("total").GetInt64());
        Assert.Equal(0, (await (await client.GetAsync($"/api/v1/tasks/{task}/media")).Expect(HttpStatusCode.OK)).GetArrayLength());
        var store = app.Services.GetRequiredService<IFileStore>();
        Assert.Empty(await store.ListAsync("uploads/", default).ToListAsync());
        Assert.Empty(await store.ListAsync($"media/{task}/", default).ToListAsync());

        var next = await client.UploadPng(task);
        Assert.Equal("v001", next.Str("linkedVersion"));
        Assert.Equal(MediaBuilders.Png, await client.GetByteArrayAsync($"/api/v1/media/{next.Str("id")}/download"));
    }

    /// <summary>What the backend holds of writes in progress: partial files, unfinished multipart uploads.</summary>
    protected abstract Task<IReadOnlyList<string>> WritesInProgress();
}

public sealed class LocalMediaUploadDisconnectTests(KestrelTestApp app) : MediaUploadDisconnectTests<KestrelTestApp>(app), IClassFixture<KestrelTestApp>
{
    protected override Task<IReadOnlyList<string>> WritesInProgress()
    {
        var media = Path.Combine(App.DataDir, "media");
        return Task.FromResult<IReadOnlyList<string>>(Directory.Exists(media) ? Directory.GetFiles(media, "*.partial", SearchOption.AllDirectories) : []);
    }
}

public sealed class S3MediaUploadDisconnectTests(KestrelS3TestApp app) : MediaUploadDisconnectTests<KestrelS3TestApp>(app), IClassFixture<KestrelS3TestApp>
{
    protected override async Task<IReadOnlyList<string>> WritesInProgress()
    {
        using var s3 = S3TestApp.BucketClient();
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = App.Bucket });
        return uploads.MultipartUploads?.Select(upload => upload.Key).ToList() ?? [];
    }
}
