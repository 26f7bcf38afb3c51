using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Montu.Bench;

/// <summary>One engine's analytics figures: the uncached calls' latencies and the cached call's throughput against project stats, per round.</summary>
public sealed record AnalyticsResults(string Engine, int Size, int StatusChanges, IReadOnlyList<(string Query, double Ms)> Uncached,
    IReadOnlyList<(InterleavedResult Analytics, InterleavedResult Stats)> Rounds)
{
    public double MedianRatio => Rounds.Select(r => r.Analytics.RequestsPerSecond / r.Stats.RequestsPerSecond).Order().ElementAt(Rounds.Count / 2);
}

/// <summary>
/// <c>GET /projects/BIG_N/analytics</c> (bench/README.md, "Analytics"). The seeder's tasks have no
/// events, so a tenth of the show first goes through two status changes by bulk update (in progress,
/// then approved) to give the event-log pass something to read. Then the first, uncached call of
/// each range is timed, and cached analytics and project stats take turns in one wrk run per round.
/// </summary>
public sealed class AnalyticsRun(BenchOptions options, string engine)
{
    private static readonly string[] Ranges = ["time_range=last_30_days", "time_range=all", "time_range=last_7_days"];

    public async Task<AnalyticsResults> RunAsync()
    {
        await RealtimeRun.PinToLoadCoreAsync();
        var size = options.Sizes.Max();
        await using var montu = new MontuUnderTest(options, engine);
        await montu.PrepareAsync([size]);
        using var api = await montu.SignedInClientAsync();
        var token = api.DefaultRequestHeaders.Authorization!.Parameter!;
        var project = ShowSeeder.ShowProject(size);
        var changes = await ChangeStatusesAsync(api, project, size / 10);

        var uncached = new List<(string, double)>();
        foreach (var query in Ranges)
        {
            await QuietMachine.WaitAsync($"[{engine} {size}] analytics {query}, uncached");
            var clock = Stopwatch.StartNew();
            using var response = await api.GetAsync($"/api/v1/projects/{project}/analytics?{query}");
            response.EnsureSuccessStatusCode();
            clock.Stop();
            uncached.Add((query, clock.Elapsed.TotalMilliseconds));
            Progress.Say($"[{engine} {size}] first analytics?{query}: {clock.Elapsed.TotalMilliseconds:0} ms");
        }

        var requests = new[]
        {
            new InterleavedRequest($"/api/v1/projects/{project}/analytics?{Ranges[0]}", token),
            new InterleavedRequest($"/api/v1/projects/{project}/stats", token),
        };
        var script = Path.Combine(montu.WorkDir, "analytics.with-stats.lua");
        // One unreported run brings both routes' code to its final JIT tier.
        await InterleavedRun.RunAsync(requests, script, ShowUnderTest.LoadCore, montu.Server.BaseUrl, options.Connections, options.ScalingRunSeconds);
        var rounds = new List<(InterleavedResult, InterleavedResult)>();
        for (var round = 0; round < options.Pairs; round++)
        {
            var (results, errors) = await InterleavedRun.RunAsync(requests, script, ShowUnderTest.LoadCore, montu.Server.BaseUrl, options.Connections, options.ScalingRunSeconds);
            if (errors > 0)
            {
                throw new InvalidOperationException($"{errors} errors in the analytics run");
            }

            rounds.Add((results[0], results[1]));
            Progress.Say($"[{engine} {size}] cached analytics {results[0].RequestsPerSecond:0} req/s (p99 {results[0].P99Ms:0.00} ms), " +
                         $"stats {results[1].RequestsPerSecond:0} req/s (p99 {results[1].P99Ms:0.00} ms): {results[0].RequestsPerSecond / results[1].RequestsPerSecond:P0}");
        }

        return new AnalyticsResults(engine, size, changes, uncached, rounds);
    }

    /// <summary>Moves the first <paramref name="count"/> tasks to in_progress, then to approved, 500 a request; returns the status changes made.</summary>
    private async Task<int> ChangeStatusesAsync(HttpClient api, string project, int count)
    {
        var ids = new List<string>();
        string? cursor = null;
        while (ids.Count < count)
        {
            var page = await api.GetFromJsonAsync<JsonElement>(
                $"/api/v1/tasks?project_id={project}&page_size=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is null)
            {
                break;
            }
        }

        ids = [.. ids.Take(count)];
        var clock = Stopwatch.StartNew();
        foreach (var status in new[] { "in_progress", "approved" })
        {
            foreach (var chunk in ids.Chunk(500))
            {
                using var response = await api.PatchAsJsonAsync("/api/v1/tasks/bulk-update", chunk.Select(id => new { taskId = id, updates = new { status } }));
                response.EnsureSuccessStatusCode();
            }
        }

        Progress.Say($"[{engine}] {ids.Count * 2} status changes of {ids.Count} tasks in {clock.Elapsed.TotalSeconds:0.0} s");
        return ids.Count * 2;
    }

    public static string Render(BenchOptions options, IReadOnlyList<AnalyticsResults> engines)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Montu analytics benchmark ({(options.Quick ? "quick" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine("| engine | tasks | status changes in the log | first call (uncached), ms | cached analytics / stats, req/s per round |");
        text.AppendLine("|---|---:|---:|---|---|");
        foreach (var engine in engines)
        {
            var first = string.Join(", ", engine.Uncached.Select(u => string.Create(CultureInfo.InvariantCulture, $"{u.Query}: {u.Ms:0}")));
            var rounds = string.Join(", ", engine.Rounds.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Analytics.RequestsPerSecond:0} / {r.Stats.RequestsPerSecond:0}")));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {engine.Engine} | {engine.Size} | {engine.StatusChanges} | {first} | {rounds} |");
        }

        text.AppendLine();
        text.AppendLine("## Goals");
        foreach (var engine in engines)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- [{(engine.MedianRatio >= 0.5 ? "x" : " ")}] {engine.Engine}, {engine.Size} tasks: cached analytics ≥ 50% of project stats' req/s in the same run ({engine.MedianRatio:P0}, median of {engine.Rounds.Count})");
        }

        return text.ToString();
    }
}
