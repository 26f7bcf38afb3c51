using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Montu.Bench;

/// <summary>One engine's run of <c>--import</c>: the seeder's insert, the import of the same tasks, and the export of the imported show.</summary>
public sealed record ImportResults(
    string Engine, int Size, double InsertSeconds, double AcceptedSeconds, double ImportSeconds,
    double RssGrowthMb, double PeakRssGrowthMb, double ServerCpuSeconds, double CheckSeconds, double CheckCpuSeconds, ExportResults Export)
{
    public double InsertRowsPerSecond => Size / InsertSeconds;

    public double ImportRowsPerSecond => Size / ImportSeconds;

    public double Ratio => ImportRowsPerSecond / InsertRowsPerSecond;
}

/// <summary>
/// The CSV import against the seeder's bulk insert (bench/README.md, "CSV import"): on one Montu
/// whose show of N tasks the seeder bulk-inserted (timed), the same generated tasks go as a CSV
/// file into an empty project through <c>POST /tasks/import-csv-async</c>, timed from the POST to
/// the finished status, with the server's resident memory sampled meanwhile. The same file with
/// <c>validate_only</c> (into another empty project, since task ids are unique across projects)
/// then splits that time into reading and checking the rows and writing them. Last, the imported
/// show is read by <see cref="ExportRun"/>'s export and list walks.
/// </summary>
public sealed class ImportRun(BenchOptions options, string engine)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>The project the CSV goes into, created empty through the API.</summary>
    public static string ImportProject(int size) => $"IMPORT_{size}";

    /// <summary>The empty project the <c>validate_only</c> import checks its rows against.</summary>
    public static string CheckProject(int size) => $"CHECK_{size}";

    public async Task<ImportResults> RunAsync()
    {
        await RealtimeRun.PinToLoadCoreAsync();
        var size = options.Sizes.Max();
        await using var montu = new MontuUnderTest(options, engine);
        await montu.PrepareAsync([size]);
        var insert = montu.ShowInsertTimes[size];
        Progress.Say($"[{engine} {size}] seeder's bulk insert: {size / insert.TotalSeconds:0} rows/s ({insert.TotalSeconds:0.000} s)");

        using var api = await montu.SignedInClientAsync();
        var project = ImportProject(size);
        await ShowSeeder.CreateProjectAsync(api, project);
        var file = Path.Combine(montu.WorkDir, "import.csv");
        await WriteCsvAsync(file, ShowSeeder.ShowTasks(project, size));

        await QuietMachine.WaitAsync($"[{engine} {size}] import");
        var server = montu.Server;
        var cpuBefore = server.CpuSeconds();
        using var sampler = new RssSampler(server);
        var clock = Stopwatch.StartNew();
        var jobId = await StartImportAsync(api, project, file, validateOnly: false);
        var accepted = clock.Elapsed;
        var status = await WaitForImportAsync(api, jobId);
        clock.Stop();
        var (growth, peakGrowth) = await sampler.StopAsync();
        var cpu = server.CpuSeconds() - cpuBefore;
        Progress.Say($"[{engine} {size}] import: {size / clock.Elapsed.TotalSeconds:0} rows/s ({clock.Elapsed.TotalSeconds:0.000} s, 202 after {accepted.TotalSeconds:0.000} s), " +
                     $"server CPU {cpu:0.0} s, RSS +{growth:0} MB (VmHWM +{peakGrowth:0} MB)");
        Check(status, size);

        var checkProject = CheckProject(size);
        await ShowSeeder.CreateProjectAsync(api, checkProject);
        var checkFile = Path.Combine(montu.WorkDir, "check.csv");
        await WriteCsvAsync(checkFile, ShowSeeder.ShowTasks(checkProject, size));
        await QuietMachine.WaitAsync($"[{engine} {size}] import, validate only");
        cpuBefore = server.CpuSeconds();
        var checkClock = Stopwatch.StartNew();
        var checkStatus = await WaitForImportAsync(api, await StartImportAsync(api, checkProject, checkFile, validateOnly: true));
        checkClock.Stop();
        var checkCpu = server.CpuSeconds() - cpuBefore;
        Progress.Say($"[{engine} {size}] import, validate only: {checkClock.Elapsed.TotalSeconds:0.000} s, server CPU {checkCpu:0.0} s");
        Check(checkStatus, size);

        // As after the seeding: the import's writes are not left for autovacuum or a WAL checkpoint to finish during the reads.
        await montu.SettleAsync();
        var reads = await new ExportRun(options, engine).ReadShowAsync(api, server, project, size);
        return new ImportResults(engine, size, insert.TotalSeconds, accepted.TotalSeconds, clock.Elapsed.TotalSeconds, growth, peakGrowth, cpu,
            checkClock.Elapsed.TotalSeconds, checkCpu, new ExportResults(engine, size, reads));
    }

    /// <summary>The columns the import reads of each generated task; the rest (timestamps, clean names, search text) the server sets.</summary>
    private static async Task WriteCsvAsync(string path, IEnumerable<TaskRow> tasks)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await writer.WriteLineAsync("id,type,episode,sequence,shot,task,artist,status,priority,milestone,frame_start,frame_end,deadline,estimated_duration_hours,description");
        foreach (var t in tasks)
        {
            string[] cells =
            [
                t.Id, "shot", t.Episode, t.Sequence, t.Shot, t.Task, t.Artist ?? "", t.Status, t.Priority, t.Milestone ?? "",
                t.FrameStart.ToString(CultureInfo.InvariantCulture), t.FrameEnd.ToString(CultureInfo.InvariantCulture),
                t.Deadline?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "",
                t.EstimatedHours.ToString(CultureInfo.InvariantCulture), t.Description,
            ];
            await writer.WriteLineAsync(string.Join(',', cells.Select(Cell)));
        }
    }

    private static string Cell(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<string> StartImportAsync(HttpClient api, string project, string file, bool validateOnly)
    {
        await using var csv = File.OpenRead(file);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(project), "project_id" },
            { new StringContent("create"), "mode" },
            { new StringContent(validateOnly ? "true" : "false"), "validate_only" },
            { new StreamContent(csv), "file", "tasks.csv" },
        };
        using var response = await api.PostAsync("/api/v1/tasks/import-csv-async", form);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"import-csv-async answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
    }

    private static async Task<JsonElement> WaitForImportAsync(HttpClient api, string jobId)
    {
        while (true)
        {
            var status = await api.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/import-status/{jobId}");
            if (status.GetProperty("status").GetString() is "completed" or "failed" or "cancelled")
            {
                return status;
            }

            await Task.Delay(PollEvery);
        }
    }

    /// <summary>A finished import must have created (with <c>validate_only</c>, would create) every row's task, and found no row invalid.</summary>
    private static void Check(JsonElement status, int size)
    {
        var created = status.GetProperty("createdTasks").GetInt32();
        var invalid = status.GetProperty("invalidTasks").GetInt32();
        if (status.GetProperty("status").GetString() != "completed" || created != size || invalid != 0)
        {
            var errors = status.GetProperty("errors").EnumerateArray().Take(5).Select(e => e.GetRawText());
            throw new InvalidOperationException(
                $"the import of {size} rows ended {status.GetProperty("status")} with {created} created and {invalid} invalid " +
                $"(error: {status.GetProperty("error")}); first row errors: {string.Join("; ", errors)}");
        }
    }

    /// <summary>
    /// Samples the server's resident memory (VmRSS) every 100 ms until stopped: growth is the
    /// highest sample less the first. The kernel's own peak (VmHWM, reset at the start) is read too:
    /// it also catches what rose and fell between two samples.
    /// </summary>
    private sealed class RssSampler : IDisposable
    {
        private readonly ServerProcess _server;
        private readonly double _before;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<double> _peak;

        public RssSampler(ServerProcess server)
        {
            _server = server;
            server.ResetPeakRss();
            _before = server.RssMb();
            _peak = SampleAsync();
        }

        public async Task<(double Growth, double PeakGrowth)> StopAsync()
        {
            await _stop.CancelAsync();
            var peak = Math.Max(await _peak, _server.RssMb());
            return (peak - _before, _server.PeakRssMb() - _before);
        }

        public void Dispose() => _stop.Dispose();

        private async Task<double> SampleAsync()
        {
            var peak = _before;
            using var timer = new PeriodicTimer(SampleEvery);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    peak = Math.Max(peak, _server.RssMb());
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: the peak so far is the answer.
            }

            return peak;
        }
    }

    public static string Render(BenchOptions options, IReadOnlyList<ImportResults> engines)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Montu CSV import benchmark ({(options.Quick ? "quick" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine("Raw insert: the seeder's bulk insert of the show's N generated tasks into `BIG_N` (SQLite: one prepared statement in a transaction; " +
                        "PostgreSQL: binary COPY), the insert and its commit alone. Import: the same tasks as a CSV file into the empty project `IMPORT_N` by " +
                        "`POST /tasks/import-csv-async` (mode create), from the POST to the first status read as completed (polled every 200 ms); 202: when the " +
                        "POST was answered. RSS growth: the highest of the server's VmRSS sampled every 100 ms during the import less the first sample (VmHWM: the " +
                        "kernel's peak, between samples too). Validate only: the same file with `validate_only=true` into another empty project, POST to completed: " +
                        "reading and checking the rows without writing them; the rest of the import's time is the writing. Then the imported show is read as " +
                        "`--export` reads a show (below).");
        text.AppendLine();
        text.AppendLine("| engine | tasks | raw insert rows/s (s) | import rows/s (s) | 202 after s | import / insert | server CPU s during import | RSS growth MB (VmHWM) | validate only s (server CPU s) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var e in engines)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {e.Engine} | {e.Size} | {e.InsertRowsPerSecond:0} ({e.InsertSeconds:0.000}) | {e.ImportRowsPerSecond:0} ({e.ImportSeconds:0.000}) | {e.AcceptedSeconds:0.000} | " +
                $"{e.Ratio:P1} | {e.ServerCpuSeconds:0.0} | {e.RssGrowthMb:0} ({e.PeakRssGrowthMb:0}) | {e.CheckSeconds:0.000} ({e.CheckCpuSeconds:0.0}) |");
        }

        text.AppendLine();
        text.AppendLine("## Export and list of the imported show");
        text.AppendLine();
        ExportRun.AppendReads(text, engines.Select(e => e.Export));
        text.AppendLine();
        text.AppendLine("## Goals");
        foreach (var e in engines)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- [{(e.Ratio >= 0.25 ? "x" : " ")}] {e.Engine}, {e.Size} tasks: import {e.ImportRowsPerSecond:0} rows/s ≥ 25% of the raw insert's {e.InsertRowsPerSecond:0} rows/s ({e.Ratio:P1})");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- [{(e.RssGrowthMb < 200 ? "x" : " ")}] {e.Engine}, {e.Size} tasks: server RSS growth during the import {e.RssGrowthMb:0} MB < 200 MB (VmHWM: +{e.PeakRssGrowthMb:0} MB)");
            text.AppendLine(ExportRun.Goal(e.Export));
        }

        return text.ToString();
    }
}
