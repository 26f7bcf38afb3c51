using System.Globalization;
using System.Text;

namespace Montu.Bench;

/// <summary>The Markdown report of <c>--uploads</c>: every round's figures and the upload goals (bench/README.md, "Uploads").</summary>
public static class UploadReport
{
    public static string Render(BenchOptions options, IReadOnlyList<UploadResults> engines)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Montu upload benchmark ({(options.Quick ? "quick" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Local storage; server, bare server and `cp` on core 0, curl and wrk on core 1 (the concurrent uploads' curl at `nice 19`, so wrk beside them is not kept waiting for the core); {options.UploadRounds} round(s). Each round: a {UploadRun.LargeBytes >> 20} MiB file of random bytes " +
            $"(`.abc`) copied with `cp` and fsynced, stored by a bare Kestrel app, uploaded to Montu (in turns, the order reversed every other round); then " +
            $"{UploadRun.Concurrent} uploads of {UploadRun.SmallBytes >> 20} MiB at once, while wrk reads the first task-list page ({UploadRun.ProbeConnections} connections, " +
            $"one request each every {UploadRun.ProbeDelayMs} ms), against the same probe on the idle server just before.");
        text.AppendLine();
        text.AppendLine("| engine | round | cp MiB/s | bare server MiB/s | Montu MiB/s | Montu / cp | bare / cp | bare CPU s | Montu CPU s | Montu / bare CPU | Montu RSS before MB | peak MB | growth MB | error |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var engine in engines)
        {
            foreach (var (l, round) in engine.Large.Select((l, i) => (l, i + 1)))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {engine.Engine} | {round} | {Rate(l.CopySeconds)} | {Rate(l.BareSeconds)} | {Rate(l.MontuSeconds)} | {l.CopySeconds / l.MontuSeconds:0.00} | " +
                    $"{l.CopySeconds / l.BareSeconds:0.00} | {l.BareCpuSeconds:0.0} | {l.MontuCpuSeconds:0.0} | {l.MontuCpuSeconds / l.BareCpuSeconds:0.00} | {l.RssBeforeMb:0} | {l.RssPeakMb:0} | {l.RssGrowthMb:0} | {l.Error ?? ""} |");
            }
        }

        text.AppendLine();
        text.AppendLine("| engine | round | uploads | failed | seconds | MiB/s in all | list p50 idle ms | p50 during ms | list p99 idle ms | p99 during ms | p99 ratio | req/s idle | req/s during | probe errors | uploads that outlasted the probe |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var engine in engines)
        {
            foreach (var (c, round) in engine.Concurrent.Select((c, i) => (c, i + 1)))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {engine.Engine} | {round} | {c.Uploads} | {c.Failed} | {c.Seconds:0.0} | {UploadResults.Throughput(c.Seconds, c.Uploads * UploadRun.SmallBytes):0} | " +
                    $"{c.Idle.P50Ms:0.00} | {c.During.P50Ms:0.00} | {c.Idle.P99Ms:0.00} | {c.During.P99Ms:0.00} | {c.P99Ratio:0.00} | {c.Idle.RequestsPerSecond:0} | {c.During.RequestsPerSecond:0} | " +
                    $"{c.Idle.Errors + c.During.Errors} | {c.InFlightAtProbeEnd} |");
            }
        }

        text.AppendLine();
        text.AppendLine("## Goals");
        text.AppendLine();
        foreach (var (goal, met) in engines.SelectMany(Goals))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- [{(met ? "x" : " ")}] {goal}");
        }

        return text.ToString();
    }

    private static IEnumerable<(string Goal, bool Met)> Goals(UploadResults engine)
    {
        var ratios = engine.Large.Select(l => l.CopySeconds / l.MontuSeconds).ToList();
        var throughput = Measurement.MedianOf(ratios);
        yield return ($"{engine.Engine}: a 2 GiB upload at {throughput:P0} of cp's throughput (>= 70%), median of {ratios.Count} (range {Range(ratios, "P0")}), {engine.Large.Count(l => l.Error is not null)} errors",
            throughput >= 0.70 && engine.Large.All(l => l.Error is null));

        var growth = engine.Large.Max(l => l.RssGrowthMb);
        yield return ($"{engine.Engine}: Montu's RSS grew by at most {growth:0} MB during a 2 GiB upload (< 64 MB), in every round", growth < 64);

        var failed = engine.Concurrent.Sum(c => c.Failed);
        yield return ($"{engine.Engine}: {engine.Concurrent.Sum(c => c.Uploads)} uploads of 100 MiB, {UploadRun.Concurrent} at a time: {failed} failed (0)", failed == 0);

        var p99 = engine.Concurrent.Select(c => c.P99Ratio).ToList();
        var median = Measurement.MedianOf(p99);
        var valid = engine.Concurrent.All(c => c.InFlightAtProbeEnd == c.Uploads && c.Idle.Errors + c.During.Errors == 0);
        yield return ($"{engine.Engine}: task-list p99 during the uploads {median:0.00}x idle (<= 2x), median of {p99.Count} (range {Range(p99, "0.00")}x)" +
                      (valid ? "" : "; NOT VALID: an upload ended before the probe, or the probe had errors"), median <= 2 && valid);
    }

    private static string Rate(double seconds) => UploadResults.Throughput(seconds, UploadRun.LargeBytes).ToString("0", CultureInfo.InvariantCulture);

    private static string Range(IReadOnlyList<double> values, string format) =>
        $"{values.Min().ToString(format, CultureInfo.InvariantCulture)}–{values.Max().ToString(format, CultureInfo.InvariantCulture)}";
}
