using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Montu.Bench;

/// <summary>
/// One round's 2 GiB file: copied on disk, stored by the bare server, uploaded to Montu; the two
/// servers' CPU time for it (which other work on the machine barely moves, unlike the wall clock),
/// and Montu's memory around its upload.
/// </summary>
public sealed record LargeUpload(double CopySeconds, double BareSeconds, double MontuSeconds, double BareCpuSeconds, double MontuCpuSeconds,
    double RssBeforeMb, double RssPeakMb, string? Error)
{
    public double RssGrowthMb => RssPeakMb - RssBeforeMb;
}

/// <summary>One round's concurrent uploads, and the task list's latency before and while they ran.</summary>
public sealed record ConcurrentUploads(int Uploads, int Failed, string? FirstError, double Seconds, LoadResult Idle, LoadResult During, int InFlightAtProbeEnd)
{
    public double P99Ratio => During.P99Ms / Idle.P99Ms;
}

/// <summary>Everything the upload measurements of one engine found.</summary>
public sealed record UploadResults(string Engine, IReadOnlyList<LargeUpload> Large, IReadOnlyList<ConcurrentUploads> Concurrent)
{
    public static double Throughput(double seconds, long bytes) => bytes / seconds / (1 << 20);
}

/// <summary>
/// <c>POST /media</c> under load (bench/README.md, "Uploads"): per round, a 2 GiB file copied with
/// <c>cp</c> to the data directory's disk, stored by the <see cref="BareUploadServer"/> and uploaded to
/// Montu, in turns (forwards, then backwards); then twenty 100 MiB uploads at once while a light,
/// paced load on the task list measures its p99 against the same load on an idle server. Files are
/// random bytes named <c>.abc</c>: a format the server neither sniffs nor processes, so the figures
/// are those of the upload path.
/// </summary>
public sealed class UploadRun(BenchOptions options, string engine)
{
    public const long LargeBytes = 2L << 30;
    public const long SmallBytes = 100L << 20;
    public const int Concurrent = 20;

    /// <summary>The list probe: few connections, each sending one request every <see cref="ProbeDelayMs"/> ms, so the figure is a user's wait, not a saturated queue.</summary>
    public const int ProbeConnections = 10;
    public const int ProbeDelayMs = 10;

    private const int ShowSize = 10_000;

    public async Task<UploadResults> RunAsync()
    {
        await using var montu = new MontuUnderTest(options, engine);
        await montu.PrepareAsync([ShowSize]);
        var sources = Directory.CreateDirectory(Path.Combine(montu.WorkDir, "sources")).FullName;
        var bareDirectory = Directory.CreateDirectory(Path.Combine(montu.WorkDir, "bare")).FullName;
        await using var bare = await ServerProcess.StartAsync(MontuUnderTest.ServerCore, ServerProcess.HarnessCommand("store", bareDirectory), new Dictionary<string, string>(), "/health");
        using var api = await montu.SignedInClientAsync();
        var token = api.DefaultRequestHeaders.Authorization!.Parameter!;
        var project = ShowSeeder.ShowProject(ShowSize);
        var tasks = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/tasks?project_id={project}&page_size=50"))
            .GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
        var probe = Path.Combine(sources, "list_probe.lua");
        await File.WriteAllTextAsync(probe, ProbeScript($"/api/v1/tasks?project_id={project}&page_size=50", token));

        Progress.Say($"[{engine} uploads] writing a {LargeBytes >> 20} MiB and a {SmallBytes >> 20} MiB file of random bytes");
        var large = await RandomFileAsync(Path.Combine(sources, "large.bin"), LargeBytes, seed: 1);
        var small = await RandomFileAsync(Path.Combine(sources, "small.bin"), SmallBytes, seed: 2);
        var upload = new Uploader(montu.Server, api, token, sources);

        var largeResults = new List<LargeUpload>();
        var concurrentResults = new List<ConcurrentUploads>();
        for (var round = 0; round < options.UploadRounds; round++)
        {
            var measured = await MeasureLargeAsync(montu, bare, upload, large, tasks[0], forwards: round % 2 == 0);
            largeResults.Add(measured);
            Progress.Say($"[{engine} uploads] 2 GiB: cp {Rate(measured.CopySeconds, LargeBytes)}, bare server {Rate(measured.BareSeconds, LargeBytes)}, " +
                         $"Montu {Rate(measured.MontuSeconds, LargeBytes)} ({measured.CopySeconds / measured.MontuSeconds:P0} of cp); CPU {measured.BareCpuSeconds:0.0} s bare, {measured.MontuCpuSeconds:0.0} s Montu; " +
                         $"RSS {measured.RssBeforeMb:0} MB before, {measured.RssPeakMb:0} MB at peak{(measured.Error is null ? "" : "; ERROR " + measured.Error)}");

            // The probe under load must end before the first upload does, and they do not end together: a third of the time
            // twenty uploads would take at the 2 GiB upload's rate (half of it outlasted one of them in a run).
            var expected = measured.MontuSeconds * Concurrent * SmallBytes / LargeBytes;
            var concurrent = await MeasureConcurrentAsync(montu, upload, small, tasks.Skip(1).Take(Concurrent).ToList(), probe, Math.Max(1, (int)(expected / 3)));
            concurrentResults.Add(concurrent);
            Progress.Say($"[{engine} uploads] {Concurrent} x {SmallBytes >> 20} MiB at once: {concurrent.Failed} failed, {concurrent.Seconds:0.0} s " +
                         $"({Rate(concurrent.Seconds, Concurrent * SmallBytes)} in all); list p99 {concurrent.Idle.P99Ms:0.00} ms idle, " +
                         $"{concurrent.During.P99Ms:0.00} ms during ({concurrent.P99Ratio:0.00}x){(concurrent.InFlightAtProbeEnd == Concurrent ? "" : $"; only {concurrent.InFlightAtProbeEnd} uploads outlasted the probe")}" +
                         (concurrent.FirstError is null ? "" : "; first error: " + concurrent.FirstError));
        }

        return new UploadResults(engine, largeResults, concurrentResults);
    }

    private async Task<LargeUpload> MeasureLargeAsync(MontuUnderTest montu, ServerProcess bare, Uploader upload, SourceFile file, string task, bool forwards)
    {
        double copy = 0, stored = 0, uploaded = 0, bareCpu = 0, montuCpu = 0, rssBefore = 0, rssPeak = 0;
        string? error = null;
        var steps = new List<Func<Task>>
        {
            async () => copy = await CopyAsync(file.Path, Path.Combine(montu.WorkDir, "copy.abc")),
            async () =>
            {
                var cpu = bare.CpuSeconds();
                var answer = await upload.ToAsync(bare, file, []);
                bareCpu = bare.CpuSeconds() - cpu;
                stored = answer.Seconds;
                // The bare server stores the whole multipart body: the file and the lines around it.
                error ??= answer.Status == 201 && long.TryParse(answer.Body, CultureInfo.InvariantCulture, out var length) && length > file.Bytes ? null : $"bare server: {answer.Status} {answer.Body}";
            },
            async () =>
            {
                montu.Server.ResetPeakRss();
                rssBefore = montu.Server.RssMb();
                var cpu = montu.Server.CpuSeconds();
                var answer = await upload.ToMontuAsync(file, task);
                montuCpu = montu.Server.CpuSeconds() - cpu;
                rssPeak = montu.Server.PeakRssMb();
                uploaded = answer.Seconds;
                error ??= await upload.CheckAndDeleteAsync(answer, file);
            },
        };
        foreach (var step in forwards ? steps : steps.AsEnumerable().Reverse())
        {
            await QuietMachine.WaitAsync($"[{engine} uploads] 2 GiB");
            await step();
        }

        return new LargeUpload(copy, stored, uploaded, bareCpu, montuCpu, rssBefore, rssPeak, error);
    }

    private async Task<ConcurrentUploads> MeasureConcurrentAsync(MontuUnderTest montu, Uploader upload, SourceFile file, IReadOnlyList<string> tasks, string probe, int probeSeconds)
    {
        await QuietMachine.WaitAsync($"[{engine} uploads] idle list probe");
        var idle = await Wrk.RunAsync(ShowUnderTest.LoadCore, montu.Server.BaseUrl, probe, ProbeConnections, probeSeconds);
        await QuietMachine.WaitAsync($"[{engine} uploads] concurrent uploads");
        var started = Stopwatch.GetTimestamp();
        var uploads = tasks.Select(task => upload.ToMontuAsync(file, task, yielding: true)).ToList();
        // Every upload has connected and is sending by then.
        await Task.Delay(500);
        var during = await Wrk.RunAsync(ShowUnderTest.LoadCore, montu.Server.BaseUrl, probe, ProbeConnections, probeSeconds);
        var probeEnded = Stopwatch.GetTimestamp();
        var answers = await Task.WhenAll(uploads);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var errors = new List<string>();
        foreach (var answer in answers)
        {
            if (await upload.CheckAndDeleteAsync(answer, file) is { } error)
            {
                errors.Add(error);
            }
        }

        return new ConcurrentUploads(answers.Length, errors.Count, errors.FirstOrDefault(), seconds, idle, during, answers.Count(a => a.FinishedAt >= probeEnded));
    }

    /// <summary><c>cp</c> and then <c>sync</c> of the copy (an fsync, as the server's store does), on the server's core; the copy is deleted afterwards.</summary>
    private static async Task<double> CopyAsync(string source, string target)
    {
        var info = new ProcessStartInfo("taskset") { RedirectStandardError = true };
        foreach (var argument in new[] { "-c", MontuUnderTest.ServerCore, "sh", "-c", "cp -- \"$1\" \"$2\" && sync -- \"$2\"", "sh", source, target })
        {
            info.ArgumentList.Add(argument);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"cp failed: {errors}");
        }

        File.Delete(target);
        return seconds;
    }

    /// <summary>A file of random bytes, flushed to disk so that writing it back does not land in a measurement.</summary>
    private static async Task<SourceFile> RandomFileAsync(string path, long bytes, int seed)
    {
        var random = new Random(seed);
        var chunk = new byte[1 << 20];
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
        {
            for (long written = 0; written < bytes; written += chunk.Length)
            {
                random.NextBytes(chunk);
                sha256.AppendData(chunk);
                await file.WriteAsync(chunk);
            }

            file.Flush(flushToDisk: true);
        }

        return new SourceFile(path, bytes, "sha256:" + Convert.ToHexStringLower(sha256.GetCurrentHash()));
    }

    private static string ProbeScript(string pathAndQuery, string token) => $$"""
        wrk.method = "GET"
        wrk.path = "{{pathAndQuery}}"
        wrk.headers["Authorization"] = "Bearer {{token}}"
        function delay()
          return {{ProbeDelayMs}}
        end
        """;

    private static string Rate(double seconds, long bytes) => $"{UploadResults.Throughput(seconds, bytes):0} MiB/s";

    private sealed record SourceFile(string Path, long Bytes, string Checksum);

    /// <summary>Sends the source files with <see cref="Curl"/>, from the load core, and checks what Montu stored.</summary>
    private sealed class Uploader(ServerProcess montu, HttpClient api, string token, string directory)
    {
        private int _sent;

        public Task<UploadAnswer> ToMontuAsync(SourceFile file, string task, bool yielding = false) =>
            ToAsync(montu, file, [("task_id", task)], "/api/v1/media", yielding);

        public Task<UploadAnswer> ToAsync(ServerProcess server, SourceFile file, (string, string)[] fields, string path = "/upload", bool yielding = false) =>
            Curl.UploadAsync(ShowUnderTest.LoadCore, server.BaseUrl + path, token, file.Path, "cache.abc", fields,
                System.IO.Path.Combine(directory, $"answer-{Interlocked.Increment(ref _sent)}.json"), yielding);

        /// <summary>Null when Montu answered 201 with the file's size and checksum; the version is then deleted, so the disk does not fill.</summary>
        public async Task<string?> CheckAndDeleteAsync(UploadAnswer answer, SourceFile file)
        {
            if (answer.Status != 201 || answer.Json is not { } media)
            {
                return $"{answer.Status} {answer.Body}";
            }

            var metadata = media.GetProperty("metadata");
            var error = metadata.GetProperty("fileSize").GetInt64() != file.Bytes || metadata.GetProperty("checksum").GetString() != file.Checksum
                ? $"stored {metadata}, expected {file.Bytes} bytes, {file.Checksum}"
                : null;
            (await api.DeleteAsync($"/api/v1/media/{media.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();
            return error;
        }
    }
}
