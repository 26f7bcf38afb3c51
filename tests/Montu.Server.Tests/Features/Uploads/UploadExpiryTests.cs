using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Infrastructure.Storage;
using static Montu.Server.Tests.UploadBuilders;

namespace Montu.Server.Tests.Features.Uploads;

/// <summary>Uploads end 24 hours after their creation: refused from then on, and their rows and bytes removed by a job.</summary>
public abstract class UploadExpiryTests(TestApp app, ManualClock clock)
{
    [StorageFact]
    public async Task An_upload_expires_24_hours_after_its_creation_and_its_bytes_are_removed()
    {
        await app.SignInAdminAgain();
        var project = await app.Client.CreateProject();
        var task = (await app.Client.CreateTask(TaskBuilders.ShotTask(project, episode: project))).Str("id");
        var file = Exr(5000, seed: 11);
        var unfinished = await app.Client.StartUpload(file.Length, ("filename", "plate.exr"), ("task_id", task));
        await (await app.Client.PatchUpload(unfinished, 0, file[..2000])).Expect(HttpStatusCode.NoContent);
        var finished = await app.Client.StartUpload(file.Length, ("filename", "plate.exr"), ("task_id", task));
        var done = await app.Client.PatchUpload(finished, 0, file);
        await done.Expect(HttpStatusCode.NoContent);

        clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1));
        await app.SignInAdminAgain();
        Assert.Equal(2000, await app.Client.OffsetOf(unfinished));
        Assert.Equal(file.Length, await app.Client.OffsetOf(finished));
        clock.Advance(TimeSpan.FromMinutes(2));
        await app.SignInAdminAgain();

        using var head = await app.Client.HeadUpload(unfinished);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        var refused = await (await app.Client.PatchUpload(unfinished, 2000, file[2000..])).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.EndsWith("uploads are removed 24 hours after they were created", refused.Str("message"));
        await WaitUntilRemoved(unfinished.Split('/')[^1]);
        await WaitUntilRemoved(finished.Split('/')[^1]);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.HeadUpload(finished)).StatusCode);
        Assert.Equal(file, await app.Client.GetByteArrayAsync($"/api/v1/media/{done.Header("Upload-Media-Id")}/download"));
    }

    /// <summary>Until the expiry job has removed the upload's row and bytes, or ten seconds have passed.</summary>
    private async Task WaitUntilRemoved(string uploadId)
    {
        var store = app.Services.GetRequiredService<IFileStore>();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using var connection = await app.Db.OpenAsync(CancellationToken.None);
            var rows = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM resumable_uploads WHERE id = @uploadId", new { uploadId });
            var parts = await store.ListAsync($"uploads/tus/{uploadId}/", default).ToListAsync();
            if (rows == 0 && parts.Count == 0)
            {
                return;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"Upload {uploadId} still has {rows} row and {parts.Count} parts");
            await Task.Delay(50);
        }
    }

    public sealed class LocalClockApp : TestApp
    {
        public ManualClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    public sealed class S3ClockApp : S3TestApp
    {
        public ManualClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }
}

public sealed class LocalUploadExpiryTests(UploadExpiryTests.LocalClockApp app) : UploadExpiryTests(app, app.Clock), IClassFixture<UploadExpiryTests.LocalClockApp>;

public sealed class S3UploadExpiryTests(UploadExpiryTests.S3ClockApp app) : UploadExpiryTests(app, app.Clock), IClassFixture<UploadExpiryTests.S3ClockApp>;
