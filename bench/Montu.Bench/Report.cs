using System.Globalization;
using System.Text;

namespace Montu.Bench;

/// <summary>The Markdown report: every measurement, the interleaved comparisons, peak memory, and the goals of the benchmark (bench/README.md).</summary>
public static class Report
{
    public static string Render(BenchOptions options, IReadOnlyList<EngineResults> engines)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Montu benchmark ({(options.Quick ? "quick" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{options.Connections} connections, server on core 0, wrk and PostgreSQL on core 1, every show size on one server per engine; {options.Pairs} pair(s) per scenario of a {options.RunSeconds} s Montu run " +
            $"and a {options.BaselineRunSeconds} s baseline run, alternating; medians.");
        text.AppendLine();
        text.AppendLine("| engine | tasks | scenario | req/s | baseline req/s | ratio | p50 ms | p99 ms | baseline p99 ms | errors |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in engines.SelectMany(e => e.Measurements))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Engine} | {m.Size} | {m.Scenario.Name}{(m.Scenario.Contrast ? " (contrast)" : "")} | {m.Real.RequestsPerSecond:0} | {m.Baseline.RequestsPerSecond:0} | {m.Ratio:0.00} | {m.Real.P50Ms:0.00} | {m.Real.P99Ms:0.00} | {m.Baseline.P99Ms:0.00} | {m.Real.Errors} |");
        }

        RenderInterleaved(options, engines, text);

        text.AppendLine();
        text.AppendLine("| engine | server peak RSS MB (every show on one server) |");
        text.AppendLine("|---|---:|");
        foreach (var engine in engines)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {engine.Engine} | {engine.PeakRssMb:0} |");
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

    private static void RenderInterleaved(BenchOptions options, IReadOnlyList<EngineResults> engines, StringBuilder text)
    {
        var scalings = engines.SelectMany(e => e.Scalings).ToList();
        if (scalings.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Every show size in one {options.ScalingRunSeconds} s run, switching shows every 100 ms (req/s while counted); the 100k-versus-10k goals use these:");
            text.AppendLine();
            text.AppendLine("| engine | scenario | small show | req/s | p99 ms | large show | req/s | p99 ms | ratio | errors |");
            text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var s in scalings)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {s.Engine} | {s.Scenario} | {s.SmallSize} | {s.Small.RequestsPerSecond:0} | {s.Small.P99Ms:0.00} | {s.LargeSize} | {s.Large.RequestsPerSecond:0} | {s.Large.P99Ms:0.00} | {s.Ratio:0.00} | {s.Errors} |");
            }
        }

        var comparisons = engines.SelectMany(e => e.P99Comparisons).ToList();
        if (comparisons.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Two requests of one show in one {options.P99RunSeconds} s run, switching every 100 ms; the p99 goals use these:");
            text.AppendLine();
            text.AppendLine("| engine | tasks | scenario | req/s | p99 ms | compared with | req/s | p99 ms | p99 ratio | errors |");
            text.AppendLine("|---|---:|---|---:|---:|---|---:|---:|---:|---:|");
            foreach (var c in comparisons)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {c.Engine} | {c.Size} | {c.Scenario} | {c.Measured.RequestsPerSecond:0} | {c.Measured.P99Ms:0.00} | {c.ComparedWith} | {c.Reference.RequestsPerSecond:0} | {c.Reference.P99Ms:0.00} | {c.Ratio:0.00} | {c.Errors} |");
            }
        }
    }

    private static IEnumerable<(string Goal, bool Met)> Goals(EngineResults engine)
    {
        foreach (var m in engine.Measurements.Where(m => m.Scenario.Name == "list_first_page"))
        {
            yield return ($"{m.Engine} {m.Size}: first page throughput {m.Ratio:P0} of baseline (>= 30%), p99 {m.Real.P99Ms:0.0} ms (< 50 ms)",
                m.Ratio >= 0.30 && m.Real.P99Ms < 50);
        }

        foreach (var m in engine.Measurements.Where(m => m.Scenario.Name is "list_filtered" or "list_search"))
        {
            yield return ($"{m.Engine} {m.Size}: {m.Scenario.Name} {m.Ratio:P0} of baseline (>= 20%)", m.Ratio >= 0.20);
        }

        foreach (var c in engine.P99Comparisons)
        {
            yield return ($"{c.Engine} {c.Size}: {c.Scenario} p99 {c.Ratio:0.00}x {c.ComparedWith}'s, in one run (<= {c.Factor:0.0#}x), {c.Errors} errors",
                c.Ratio <= c.Factor && c.Errors == 0);
        }

        foreach (var patch in engine.Measurements.Where(m => m.Scenario.Name == "task_patch"))
        {
            yield return ($"{patch.Engine} {patch.Size}: PATCH p99 {patch.Real.P99Ms:0.0} ms (< 100 ms), {patch.Real.Errors} errors (0)",
                patch.Real.P99Ms < 100 && patch.Real.Errors == 0);
        }

        foreach (var s in engine.Scalings)
        {
            yield return ($"{s.Engine}: {s.Scenario} at {s.LargeSize} tasks runs at {s.Ratio:P0} of {s.SmallSize}, in one run (>= 90%), {s.Errors} errors",
                s.Ratio >= 0.90 && s.Errors == 0);
        }

        yield return ($"{engine.Engine}: server peak RSS {engine.PeakRssMb:0} MB (< 300 MB)", engine.PeakRssMb < 300);
    }
}
