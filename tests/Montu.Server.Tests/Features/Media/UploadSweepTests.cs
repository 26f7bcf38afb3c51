using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Features.Media;

namespace Montu.Server.Tests.Features.Media;

/// <summary>What a crash leaves under the upload keys is finished or removed at the next start.</summary>
public sealed class UploadSweepTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Committed_bytes_move_into_place_and_orphans_are_deleted_once_settled()
    {
        var project = await app.Client.CreateProject();
        var media = await (await app.Client.PostMedia("notes.txt", MediaBuilders.Text("kept"), ("project_id", project))).Expect(HttpStatusCode.Created);
        var root = Path.Combine(app.DataDir, "media");
        var final = Path.Combine(root, media.Str("storageKey"));
        // As if the server died between committing the row and moving the bytes.
        var interrupted = Path.Combine(root, "uploads", "media", media.Str("id"));
        File.Move(final, interrupted);
        var orphan = Path.Combine(root, "uploads", "media", "media_orphan");
        var fresh = Path.Combine(root, "uploads", "media", "media_in_flight");
        await File.WriteAllTextAsync(orphan, "lost");
        await File.WriteAllTextAsync(fresh, "still arriving");
        var old = DateTime.UtcNow - UploadSweep.Settled - TimeSpan.FromMinutes(1);
        File.SetLastWriteTimeUtc(interrupted, old);
        File.SetLastWriteTimeUtc(orphan, old);

        await app.Services.GetRequiredService<UploadSweep>().RunAsync(CancellationToken.None);

        Assert.Equal("kept", await File.ReadAllTextAsync(final));
        Assert.False(File.Exists(interrupted));
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(fresh));
        Assert.Equal("kept", await app.Client.GetStringAsync($"/api/v1/media/{media.Str("id")}/download"));
        File.Delete(fresh);
    }
}
