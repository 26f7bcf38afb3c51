using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Features.Media;
using Montu.Server.Features.Uploads;
using static Montu.Server.Tests.UploadBuilders;

namespace Montu.Server.Tests.Features.Uploads;

/// <summary>Parts a crash left behind, which no upload records, are deleted at the next start; recorded parts stay.</summary>
public sealed class UploadPartSweepTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Parts_no_upload_records_are_deleted_once_settled_and_the_upload_goes_on()
    {
        var project = await app.Client.CreateProject();
        var file = Exr(3000, seed: 12);
        var url = await app.Client.StartUpload(file.Length, ("filename", "plate.exr"), ("project_id", project));
        await (await app.Client.PatchUpload(url, 0, file[..1000])).Expect(HttpStatusCode.NoContent);
        var folder = Path.Combine(app.DataDir, "media", "uploads", "tus");
        var recorded = Directory.GetFiles(Path.Combine(folder, url.Split('/')[^1])).Single();
        // As if a crash had come between storing a PATCH's bytes and recording them, or after an upload's rows were removed.
        var unrecorded = Path.Combine(Path.GetDirectoryName(recorded)!, "000000000001000.patch_crashed");
        var removed = Path.Combine(folder, "upload_removed", "000000000000000.patch_old");
        var fresh = Path.Combine(folder, "upload_elsewhere", "000000000000000.patch_arriving");
        foreach (var path in new[] { unrecorded, removed, fresh })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, "bytes");
        }

        var old = DateTime.UtcNow - UploadSweep.Settled - TimeSpan.FromMinutes(1);
        foreach (var path in new[] { recorded, unrecorded, removed })
        {
            File.SetLastWriteTimeUtc(path, old);
        }

        await app.Services.GetRequiredService<UploadPartSweep>().RunAsync(CancellationToken.None);

        Assert.True(File.Exists(recorded));
        Assert.False(File.Exists(unrecorded));
        Assert.False(File.Exists(removed));
        Assert.True(File.Exists(fresh));
        var done = await app.Client.PatchUpload(url, 1000, file[1000..]);
        await done.Expect(HttpStatusCode.NoContent);
        Assert.Equal(file, await app.Client.GetByteArrayAsync($"/api/v1/media/{done.Header("Upload-Media-Id")}/download"));
        File.Delete(fresh);
    }
}
