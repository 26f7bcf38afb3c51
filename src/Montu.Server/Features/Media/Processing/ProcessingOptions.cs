using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Media.Processing;

/// <summary>
/// Configuration section <c>MediaProcessing</c>, and <c>FFMPEG_PATH</c>/<c>FFPROBE_PATH</c> for the
/// programs (by default <c>ffmpeg</c> and <c>ffprobe</c> on the PATH).
/// </summary>
public sealed class ProcessingOptions
{
    public const string Section = "MediaProcessing";

    /// <summary>How many ffmpeg or ffprobe processes this instance runs at once, for background work and frame requests together.</summary>
    public int Concurrency { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How long processing one file may take before it is marked failed.</summary>
    public double TimeoutSeconds { get; set; } = 1800;

    /// <summary>Pictures larger than this are refused (processing failed) rather than decoded.</summary>
    public long MaxPixels { get; set; } = 100_000_000;

    public string FfmpegPath { get; set; } = "ffmpeg";

    public string FfprobePath { get; set; } = "ffprobe";

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>Where ffmpeg writes what it makes before it is stored: on the data directory's disk, since a proxy can be gigabytes.</summary>
    public static string WorkRoot(IConfiguration configuration) => Path.Combine(DataDirectory.From(configuration), "tmp", "media");
}
