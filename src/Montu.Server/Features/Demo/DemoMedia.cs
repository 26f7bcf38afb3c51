using Montu.Server.Features.Auth;
using Montu.Server.Features.Media;
using Montu.Server.Features.Media.Processing;
using Montu.Server.Features.Users;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Features.Demo;

/// <summary>
/// Gives the demo show review data at its first start: clips, stills and a sound made with
/// ffmpeg, uploaded as versions of several tasks by the demo producer and reviewed by the demo
/// supervisor (approved, pending, needs revision), through the same commit and review as the
/// API, so each is processed in the background like any upload. Without ffmpeg the log says so
/// and the show has no media.
/// </summary>
public sealed class DemoMedia(
    MediaTools tools, IFileStore store, MediaCommit commit, MediaApprovals approvals, UserQueries users, UserAccessCache access,
    IdGenerator ids, IConfiguration configuration, ILogger<DemoMedia> logger)
{
    private sealed record DemoVersion(string TaskId, string File, string Description, string[] Tags, string? Review, string? Notes);

    private static readonly DemoVersion[] Versions =
    [
        new("ep00_sq0010_sh0010_comp", "comp.mov", "Comp, first pass", ["comp", "wip"], "needs_revision", "Edge of the matte chatters around frame 1040"),
        new("ep00_sq0010_sh0010_comp", "comp.mov", "Comp, matte fixed", ["comp"], "approved", "Final. Thanks!"),
        new("ep00_sq0010_sh0010_lighting", "beauty.1001.exr", "Beauty pass, key light raised", ["lighting", "beauty"], "approved", "Love the rim light"),
        new("ep00_sq0010_sh0020_animation", "playblast.mov", "Blocking playblast", ["animation", "blocking"], "needs_revision", "Hold the anticipation two frames longer"),
        new("ep00_sq0010_sh0030_fx", "sim.mov", "Smoke sim, low res", ["fx", "smoke"], null, null),
        new("ep00_sq0020_sh0010_layout", "layout.png", "Camera layout still", ["layout"], null, null),
        new("ep01_sq0010_sh0010_lighting", "lookdev.png", "Lookdev reference frame", ["lighting", "reference"], "rejected", "Wrong time of day: this is a dusk shot"),
    ];

    private static readonly Dictionary<string, string[]> Makers = new(StringComparer.Ordinal)
    {
        [".mov"] = ["-f", "lavfi", "-i", "testsrc2=s=1280x720:r=24000/1001:d=4", "-f", "lavfi", "-i", "sine=f=220:d=4",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-timecode", "01:00:00:00"],
        [".png"] = ["-f", "lavfi", "-i", "testsrc2=s=1920x1080", "-frames:v", "1"],
        [".exr"] = ["-f", "lavfi", "-i", "testsrc2=s=1920x1080", "-frames:v", "1", "-pix_fmt", "gbrpf32le"],
    };

    public async Task SeedAsync(CancellationToken ct)
    {
        var folder = Path.Combine(ProcessingOptions.WorkRoot(configuration), "demo");
        Directory.CreateDirectory(folder);
        try
        {
            var made = await MakeFilesAsync(folder, ct);
            if (made is null)
            {
                return;
            }

            var producer = await CallerAsync("producer@montu.local", ct);
            var supervisor = await CallerAsync("supervisor@montu.local", ct);
            foreach (var version in Versions)
            {
                var id = await UploadAsync(version, made[Path.GetExtension(version.File)], producer, ct);
                if (version.Review is { } review)
                {
                    await approvals.ApproveAsync(id, new ApproveMediaRequest { ApprovalStatus = review, ReviewNotes = version.Notes }, IfMatch.Absent, supervisor, ct);
                }
            }

            logger.LogInformation("Seeded {Count} demo media versions; they are being processed in the background", Versions.Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One file per extension, or null (logged) when ffmpeg cannot make them.</summary>
    private async Task<Dictionary<string, string>?> MakeFilesAsync(string folder, CancellationToken ct)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var (extension, arguments) in Makers)
            {
                var path = Path.Combine(folder, "demo" + extension);
                await tools.FfmpegAsync([.. arguments, path], ct);
                files[extension] = path;
            }
        }
        catch (MediaToolException e)
        {
            logger.LogWarning("Demo mode: no demo media, since ffmpeg could not make them ({Reason}). Install ffmpeg and start on a new data directory to see review data", e.Message);
            return null;
        }

        return files;
    }

    /// <summary>Stores the file under its upload key, hashed and identified as an upload is, and commits it as the task's next version.</summary>
    private async Task<string> UploadAsync(DemoVersion version, string path, Caller uploader, CancellationToken ct)
    {
        var mediaId = ids.NewId("media");
        var extension = Path.GetExtension(version.File);
        FileKind? kind = null;
        await using var file = File.OpenRead(path);
        var upload = new UploadStream(file, long.MaxValue, header =>
        {
            kind = ContentSniffer.Identify(extension, header.Span).Kind;
            return null;
        });
        var size = await store.WriteAsync(MediaRules.UploadKey(mediaId), upload, ct);
        var draft = new MediaDraft(DemoUsers.DemoProjectId, version.TaskId, null, version.Description, version.Tags);
        var outcome = await commit.CommitAsync(draft, new StoredUpload(mediaId, version.File, extension, kind!, size, upload.Checksum), uploader, null, ct);
        return outcome.Media?.Id ?? throw new InvalidOperationException($"Demo media for {version.TaskId} was refused: {outcome.Error!.Message}");
    }

    private async Task<Caller> CallerAsync(string email, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(email, ct) ?? throw new InvalidOperationException($"Demo user {email} is missing");
        var known = await access.GetAsync(user.Id, ct) ?? throw new InvalidOperationException($"Demo user {email} has no access record");
        return new Caller(known, "demo-seed", null, DemoUsers.DemoProjectId, DateTimeOffset.MaxValue);
    }
}
