using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Montu.Bench;

/// <summary>One read of the whole show by one client: rows received, seconds taken, and the server's resident memory growth during it.</summary>
public sealed record ShowRead(string Kind, int Rows, double Seconds, double RssGrowthMb)
{
    public double RowsPerSecond => Rows / Seconds;
}

public sealed record ExportResults(string Engine, int Size, IReadOnlyList<ShowRead> Reads)
{
    public double Median(string kind) => Reads.Where(r => r.Kind == kind).Select(r => r.RowsPerSecond).Order().ElementAt(Reads.Count(r => r.Kind == kind) / 2);
}

/// <summary>
/// The CSV export against the task list (bench/README.md, "CSV export"): one client reads every
/// task of the show, by <c>GET /tasks/export.csv</c> and by paging <c>GET /tasks</c> with
/// <c>page_size=100</c> along <c>nextCursor</c>, in turns, on a quiet machine each time. The first
/// walk of the list computes its pages and the first export runs cold code: both are reported, and
/// the goal compares the reads after them.
/// </summary>
public sealed class ExportRun(BenchOptions options, string engine)
{
    public const string Export = "export", ExportWarmUp = "export (first, warm-up)", ListComputed = "list (pages computed, warm-up)", ListCached = "list (page cache)";

    public async Task<ExportResults> RunAsync()
    {
        await RealtimeRun.PinToLoadCoreAsync();
        var size = options.Sizes.Max();
        await using var montu = new MontuUnderTest(options, engine);
        await montu.PrepareAsync([size]);
        using var api = await montu.SignedInClientAsync();
        return new ExportResults(engine, size, await ReadShowAsync(api, montu.Server, ShowSeeder.ShowProject(size), size));
    }

    /// <summary>The warm-up reads, then <see cref="BenchOptions.ExportRounds"/> rounds of an export and a walk of the list, of <paramref name="project"/>'s <paramref name="size"/> tasks.</summary>
    public async Task<IReadOnlyList<ShowRead>> ReadShowAsync(HttpClient api, ServerProcess server, string project, int size)
    {
        var reads = new List<ShowRead>();
        // One unmeasured-for-the-goal read of each first: it computes the list's pages and brings
        // both paths' code to its final JIT tier; every walk after it is served from the page cache.
        foreach (var (export, kind) in new[] { (false, ListComputed), (true, ExportWarmUp) })
        {
            reads.Add(await MeasureAsync(api, server, project, size, export, kind));
        }

        for (var round = 0; round < options.ExportRounds; round++)
        {
            // Each first every other round.
            foreach (var export in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                reads.Add(await MeasureAsync(api, server, project, size, export, export ? Export : ListCached));
            }
        }

        return reads;
    }

    private async Task<ShowRead> MeasureAsync(HttpClient api, ServerProcess server, string project, int size, bool export, string kind)
    {
        await QuietMachine.WaitAsync($"[{engine} {size}] {kind}");
        server.ResetPeakRss();
        var rssBefore = server.RssMb();
        var clock = Stopwatch.StartNew();
        var rows = export ? await ExportAsync(api, project) : await WalkAsync(api, project);
        clock.Stop();
        var read = new ShowRead(kind, rows, clock.Elapsed.TotalSeconds, server.PeakRssMb() - rssBefore);
        Progress.Say($"[{engine} {size}] {read.Kind}: {read.Rows} rows in {read.Seconds:0.000} s, {read.RowsPerSecond:0} rows/s, RSS +{read.RssGrowthMb:0} MB");
        return rows == size ? read : throw new InvalidOperationException($"{kind} read {rows} tasks of {size}");
    }

    /// <summary>The rows of the CSV, counted as line ends less the header's (the seeded tasks have no line breaks in their values).</summary>
    private static async Task<int> ExportAsync(HttpClient api, string project)
    {
        using var response = await api.GetAsync($"/api/v1/tasks/export.csv?project_id={project}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        var lines = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines - 1;
    }

    private static async Task<int> WalkAsync(HttpClient api, string project)
    {
        var rows = 0;
        string? cursor = null;
        do
        {
            var page = await api.GetFromJsonAsync<JsonElement>(
                $"/api/v1/tasks?project_id={project}&page_size=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            rows += page.GetProperty("items").GetArrayLength();
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return rows;
    }

    public static string Render(BenchOptions options, IReadOnlyList<ExportResults> engines)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Montu CSV export benchmark ({(options.Quick ? "quick" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine("One client (the harness, on core 1) reads every task of the show, by `GET /tasks/export.csv?project_id=BIG_N` and by paging " +
                        "`GET /tasks?project_id=BIG_N&page_size=100` along `nextCursor`, in turns, each on a quiet machine. RSS growth: the server's peak resident " +
                        "memory during the read less its resident memory before.");
        text.AppendLine();
        AppendReads(text, engines);
        text.AppendLine();
        text.AppendLine("## Goals");
        foreach (var engine in engines)
        {
            text.AppendLine(Goal(engine));
        }

        return text.ToString();
    }

    /// <summary>The table of every read of each engine's show.</summary>
    public static void AppendReads(StringBuilder text, IEnumerable<ExportResults> engines)
    {
        text.AppendLine("| engine | tasks | read | rows/s | seconds | RSS growth MB |");
        text.AppendLine("|---|---:|---|---:|---:|---:|");
        foreach (var engine in engines)
        {
            foreach (var read in engine.Reads)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {engine.Engine} | {engine.Size} | {read.Kind} | {read.RowsPerSecond:0} | {read.Seconds:0.000} | {read.RssGrowthMb:0} |");
            }
        }
    }

    /// <summary>The export's goal, as a checklist line: its median rows/s at least 50% of the cached list's.</summary>
    public static string Goal(ExportResults engine)
    {
        var export = engine.Median(Export);
        var ratio = export / engine.Median(ListCached);
        return string.Create(CultureInfo.InvariantCulture,
            $"- [{(ratio >= 0.5 ? "x" : " ")}] {engine.Engine}, {engine.Size} tasks: export {export:0} rows/s ≥ 50% of the {ListCached} {engine.Median(ListCached):0} rows/s ({ratio:P0}, medians)");
    }
}
