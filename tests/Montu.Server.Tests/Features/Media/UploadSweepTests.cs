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

    [Fact]
    public async Task A_partial_file_goes_at_once_when_no_write_holds_it_and_stays_while_one_does()
    {
        var directory = Path.Combine(app.DataDir, "media", "uploads", "media");
        Directory.CreateDirectory(directory);
        var abandoned = Path.Combine(directory, "media_killed.5f0c.partial");
        var arriving = Path.Combine(directory, "media_arriving.9a1e.partial");
        await File.WriteAllTextAsync(abandoned, "cut off by a kill a moment ago");
        // Held as the local store holds a file it is writing.
        await using (var writer = new FileStream(arriving, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await writer.WriteAsync("still arriving"u8.ToArray());

            await app.Services.GetRequiredService<UploadSweep>().RunAsync(CancellationToken.None);

            Assert.False(File.Exists(abandoned));
            Assert.True(File.Exists(arriving));
        }

        Assert.Contains(app.Logs.Lines, l => l.Text == "Deleted 1 partial files of uploads a stopped server left unfinished");
        File.Delete(arriving);
    }
}
