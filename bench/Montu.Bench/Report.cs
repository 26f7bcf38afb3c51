using System.Globalization;
using System.Text;

namespace Montu.Bench;

/// <summary>The Markdown report: every measurement, the scaling ratios, peak memory, and the goals of issue 4.</summary>
public static class Report
{
    public static string Render(BenchOptions options, IReadOnlyList<Measurement> results, IReadOnlyDictionary<string, double> peakRssMb)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Montu benchmark ({(options.Quick ? "quick" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{options.Connections} connections, wrk on core 1, server on core 0, every show size on one server per engine; {options.Pairs} pair(s) per scenario of a {options.RunSeconds} s Montu run " +
            $"and a {options.BaselineRunSeconds} s baseline run, alternating, sizes interleaved; medians.");
        text.AppendLine();
        text.AppendLine("| engine | tasks | scenario | req/s | baseline req/s | ratio | p50 ms | p99 ms | baseline p99 ms | errors |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Engine} | {m.Size} | {m.Scenario.Name}{(m.Scenario.Contrast ? " (contrast)" : "")} | {m.Real.RequestsPerSecond:0} | {m.Baseline.RequestsPerSecond:0} | {m.Ratio:0.00} | {m.Real.P50Ms:0.00} | {m.Real.P99Ms:0.00} | {m.Baseline.P99Ms:0.00} | {m.Real.Errors} |");
        }

        text.AppendLine();
        text.AppendLine("| engine | server peak RSS MB (every show on one server) |");
        text.AppendLine("|---|---:|");
        foreach (var (engine, rss) in peakRssMb)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {engine} | {rss:0} |");
        }

        text.AppendLine();
        text.AppendLine("## Goals");
        text.AppendLine();
        foreach (var (goal, met) in Goals(results, peakRssMb))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- [{(met ? "x" : " ")}] {goal}");
        }

        return text.ToString();
    }

    private static IEnumerable<(string Goal, bool Met)> Goals(IReadOnlyList<Measurement> results, IReadOnlyDictionary<string, double> peakRssMb)
    {
        foreach (var m in results.Where(m => m.Scenario.Name == "list_first_page"))
        {
            yield return ($"{m.Engine} {m.Size}: first page throughput {m.Ratio:P0} of baseline (>= 30%), p99 {m.Real.P99Ms:0.0} ms (< 50 ms)",
                m.Ratio >= 0.30 && m.Real.P99Ms < 50);
        }

        foreach (var m in results.Where(m => m.Scenario.Name is "list_filtered" or "list_search"))
        {
            yield return ($"{m.Engine} {m.Size}: {m.Scenario.Name} {m.Ratio:P0} of baseline (>= 20%)", m.Ratio >= 0.20);
        }

        foreach (var group in results.GroupBy(m => (m.Engine, m.Size)))
        {
            if (group.FirstOrDefault(m => m.Scenario.Name == "list_last_page_cursor") is { ComparedRuns.Count: > 0 } last)
            {
                // Run by run: each first-page run was taken right beside a cursor run, under the same load on the machine.
                var ratio = Measurement.MedianOf(last.RealRuns.Zip(last.ComparedRuns, (cursor, first) => cursor.P99Ms / first.P99Ms));
                yield return ($"{group.Key.Engine} {group.Key.Size}: last page by cursor p99 {ratio:0.00}x the first page's run beside it (<= 1.2x)", ratio <= 1.2);
            }

            if (group.FirstOrDefault(m => m.Scenario.Name == "task_patch") is { } patch)
            {
                yield return ($"{group.Key.Engine} {group.Key.Size}: PATCH p99 {patch.Real.P99Ms:0.0} ms (< 100 ms), {patch.Real.Errors} errors (0)",
                    patch.Real.P99Ms < 100 && patch.Real.Errors == 0);
            }
        }

        foreach (var scenario in results.Where(m => m.Scenario.IsList && !m.Scenario.Contrast).GroupBy(m => (m.Engine, m.Scenario.Name)))
        {
            var bySize = scenario.OrderBy(m => m.Size).ToList();
            if (bySize.Count >= 2)
            {
                // Compared pair by pair: the two sizes' runs of one pair are seconds apart, so drift on the machine between pairs drops out.
                var scaling = Measurement.MedianOf(bySize[^1].RealRuns.Zip(bySize[0].RealRuns, (large, small) => large.RequestsPerSecond / small.RequestsPerSecond));
                yield return ($"{scenario.Key.Engine}: {scenario.Key.Name} at {bySize[^1].Size} tasks runs at {scaling:P0} of {bySize[0].Size} (>= 90%)", scaling >= 0.90);
            }
        }

        foreach (var (engine, rss) in peakRssMb)
        {
            yield return ($"{engine}: server peak RSS {rss:0} MB (< 300 MB)", rss < 300);
        }
    }
}
