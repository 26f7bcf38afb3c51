using System.Globalization;

namespace Montu.Server.Features.Media.Processing;

/// <summary>
/// The ffmpeg command lines of what processing and the frame route make from an original: a
/// thumbnail, a browser stream (H.264 proxy or PNG preview) and single frames. Scene-referred
/// stills (EXR) are turned to sRGB by the decoder's transfer curve; DPX and TIFF decode as they
/// are encoded.
/// </summary>
public sealed class MediaRenditions(MediaTools tools)
{
    public const int ThumbnailSide = 320;
    public const int ProxySide = 1920;
    public const int PreviewSide = 4096;

    /// <summary>Extensions a browser shows as they are; other stills get a PNG preview.</summary>
    private static readonly HashSet<string> BrowserImages = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg" };

    /// <summary>A JPEG whose longest side is 320 px: a video's frame at 1 s (the middle of shorter clips), a still, or a sound's waveform.</summary>
    public async Task ThumbnailAsync(MediaRow row, ProbedMedia probed, string input, string output, CancellationToken ct)
    {
        if (!probed.HasPicture)
        {
            await tools.FfmpegAsync(["-i", input, "-filter_complex", $"showwavespic=s={ThumbnailSide}x{ThumbnailSide * 3 / 8}:colors=0x4FC3F7", "-frames:v", "1", output], ct);
            return;
        }

        var seek = row.MediaType == ContentSniffer.Video && probed.Metadata.DurationSeconds is { } duration
            ? Math.Min(1.0, duration / 2)
            : 0;
        await tools.FfmpegAsync([.. Seek(seek), .. Decode(row, input), "-frames:v", "1", "-vf", Fit(ThumbnailSide), "-q:v", "3", output], ct);
    }

    /// <summary>
    /// What a browser plays or shows, made into <paramref name="output"/> (its extension says the
    /// format), or false when the original already is: browser images and sound are served as
    /// they are. A video's proxy keeps every frame and the exact rate, with a keyframe every 2
    /// frames so that seeking to any frame decodes at most one other.
    /// </summary>
    public async Task<bool> StreamAsync(MediaRow row, string input, string output, CancellationToken ct)
    {
        if (row.MediaType == ContentSniffer.Video)
        {
            await tools.FfmpegAsync(
            [
                "-i", input, "-map", "0:v:0", "-map", "0:a:0?", "-vf", Fit(ProxySide, upscale: false) + ":force_divisible_by=2", "-fps_mode", "passthrough",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-g", "2", "-bf", "0",
                "-c:a", "aac", "-b:a", "192k", "-movflags", "+faststart", output,
            ], ct);
            return true;
        }

        if (row.MediaType == ContentSniffer.Image && !BrowserImages.Contains(row.FileExtension))
        {
            await tools.FfmpegAsync([.. Decode(row, input), "-frames:v", "1", "-vf", Fit(PreviewSide, upscale: false), output], ct);
            return true;
        }

        return false;
    }

    /// <summary>One frame as a JPEG, at the picture's size: frame <paramref name="index"/> (0-based) of a video at the exact rate, or the still.</summary>
    public Task FrameAsync(MediaRow row, FrameRate? rate, long index, string input, string output, CancellationToken ct)
    {
        // ffmpeg decodes from the keyframe before the seek point and drops frames that start
        // before it; aiming half a frame early lands on the frame however timestamps round.
        var seek = rate is { } r && index > 0 ? r.SecondsAt(index - 0.5m) : 0;
        return tools.FfmpegAsync([.. Seek(seek), .. Decode(row, input), "-frames:v", "1", "-an", "-q:v", "2", output], ct);
    }

    private static IEnumerable<string> Seek(decimal seconds) =>
        seconds > 0 ? ["-ss", seconds.ToString("0.######", CultureInfo.InvariantCulture)] : [];

    private static IEnumerable<string> Seek(double seconds) => Seek((decimal)seconds);

    /// <summary>The input, with EXR's linear light put through the sRGB curve as it is decoded.</summary>
    private static IEnumerable<string> Decode(MediaRow row, string input) =>
        row.FileExtension == ".exr" ? ["-apply_trc", "iec61966_2_1", "-i", input] : ["-i", input];

    /// <summary>Scales so the longest side is <paramref name="side"/>, keeping the aspect ratio.</summary>
    private static string Fit(int side, bool upscale = true) => upscale
        ? $"scale={side}:{side}:force_original_aspect_ratio=decrease"
        : $"scale='min({side},iw)':'min({side},ih)':force_original_aspect_ratio=decrease";
}
