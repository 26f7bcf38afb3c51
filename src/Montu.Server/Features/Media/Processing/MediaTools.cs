using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Montu.Server.Features.Media.Processing;

/// <summary>Why ffmpeg or ffprobe could not do its work, in words for the media's <c>processing.error</c>.</summary>
public sealed class MediaToolException(string message) : Exception(message);

/// <summary>
/// Runs ffprobe and ffmpeg as child processes, at most <see cref="ProcessingOptions.Concurrency"/>
/// at a time for background processing and frame requests together, so a burst of uploads cannot
/// start more encoders than the machine has cores for. A cancelled run kills its process.
/// </summary>
public sealed class MediaTools(IOptions<ProcessingOptions> options) : IDisposable
{
    private readonly ProcessingOptions _options = options.Value;
    private readonly SemaphoreSlim _slots = new(options.Value.Concurrency);

    /// <summary>ffprobe's JSON answer for <paramref name="arguments"/> (which end with the input).</summary>
    public Task<string> ProbeAsync(IReadOnlyList<string> arguments, CancellationToken ct) =>
        RunAsync(_options.FfprobePath, ["-v", "error", "-print_format", "json", .. arguments], ct);

    /// <summary>Runs ffmpeg, which writes the files its <paramref name="arguments"/> name.</summary>
    public Task FfmpegAsync(IReadOnlyList<string> arguments, CancellationToken ct) =>
        RunAsync(_options.FfmpegPath, ["-v", "error", "-nostdin", "-y", .. arguments], ct);

    public void Dispose() => _slots.Dispose();

    private async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            using var process = new Process();
            process.StartInfo = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                process.StartInfo.ArgumentList.Add(argument);
            }

            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                throw new MediaToolException($"{Path.GetFileName(program)} could not be started ({e.Message}); install ffmpeg on the server or set FFMPEG_PATH and FFPROBE_PATH");
            }

            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                throw;
            }

            if (process.ExitCode != 0)
            {
                throw new MediaToolException(Reason(Path.GetFileName(program), await errors, process.ExitCode));
            }

            return await output;
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>The last thing the program said (its error), without the input's path it puts first.</summary>
    private static string Reason(string program, string errors, int exitCode)
    {
        var last = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (last is null)
        {
            return $"{program} failed (exit code {exitCode})";
        }

        var colon = last.LastIndexOf(": ", StringComparison.Ordinal);
        var said = colon >= 0 ? last[(colon + 2)..] : last;
        return $"{program} could not read the file: {(said.Length > 300 ? said[..300] : said)}";
    }
}
