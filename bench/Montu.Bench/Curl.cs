using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Montu.Bench;

/// <summary>What one upload answered: its status, its body (JSON when it is one) and how long it took.</summary>
public sealed record UploadAnswer(int Status, string Body, double Seconds, long FinishedAt)
{
    public JsonElement? Json
    {
        get
        {
            try
            {
                return JsonDocument.Parse(Body).RootElement.Clone();
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}

/// <summary>
/// Uploads a file as multipart/form-data with curl, pinned to the load core as wrk is: a client
/// that reads the file from the page cache and sends it as fast as the server takes it. A
/// <c>yielding</c> upload runs at the lowest priority (<c>nice 19</c>): twenty uploading
/// clients would otherwise take the load core from wrk measuring beside them, and its latencies
/// would be its own wait for the core.
/// </summary>
public static class Curl
{
    public static async Task<UploadAnswer> UploadAsync(string core, string url, string token, string file, string fileName,
        IEnumerable<(string Name, string Value)> fields, string answerFile, bool yielding = false)
    {
        var info = new ProcessStartInfo("nice") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments = ["-n", yielding ? "19" : "0", "taskset", "-c", core, "curl", "--silent", "--show-error", "--output", answerFile, "--write-out", "%{http_code}", "--header", $"Authorization: Bearer {token}"];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in fields)
        {
            info.ArgumentList.Add("--form-string");
            info.ArgumentList.Add($"{name}={value}");
        }

        info.ArgumentList.Add("--form");
        info.ArgumentList.Add($"file=@{file};filename={fileName};type=application/octet-stream");
        info.ArgumentList.Add(url);

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        var status = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var finished = Stopwatch.GetTimestamp();
        var body = File.Exists(answerFile) ? await File.ReadAllTextAsync(answerFile) : "";
        File.Delete(answerFile);
        return new UploadAnswer(
            int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 0,
            process.ExitCode == 0 ? body : $"curl exited with {process.ExitCode}: {errors.Trim()} {body}",
            Stopwatch.GetElapsedTime(started, finished).TotalSeconds,
            finished);
    }
}
