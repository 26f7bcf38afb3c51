using System.Globalization;
using System.Text;

namespace Montu.Bench;

/// <summary>The Markdown report of <c>--realtime</c>: every delivery run, the API with and without idle sockets, and the real-time goals (bench/README.md, "Real time").</summary>
public static class RealtimeReport
{
    public static string Render(BenchOptions options, IReadOnlyList<RealtimeResults> engines)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Montu real-time benchmark ({(options.Quick ? "quick" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"The 10k show; Montu on core 0 (the second instance too), the harness (its sockets and PATCHes), wrk and PostgreSQL on core 1. Delivery runs: " +
            $"{RealtimeRun.PatchesPerSecond} PATCHes a second for {options.DeliverySeconds} s of one task's description (a distinct value each), watched by sockets on " +
            $"`/ws/tasks/BIG_10000`; each PATCH's figure is the time from its HTTP response to the last socket's receipt of its event (0 when every socket had it first); " +
            $"the first socket's receipt is timed the same way, and the CPU time of the server holding the sockets and of the harness is divided by the PATCHes. " +
            $"{options.DeliveryRounds} run(s) of each kind, 1 and {RealtimeRun.Subscribers} subscribers alternating; the goals pool the PATCHes of all runs of a kind.");
        text.AppendLine();
        text.AppendLine("| engine | delivery | run | PATCHes | delivered to every socket | p50 ms | p99 ms | max ms | first socket p50 ms | first socket p99 ms | server CPU ms / PATCH | harness CPU ms / PATCH | errors | first error |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var engine in engines)
        {
            foreach (var (kind, runs) in Kinds(engine))
            {
                foreach (var (run, number) in runs.Select((r, i) => (r, i + 1)))
                {
                    text.AppendLine(CultureInfo.InvariantCulture,
                        $"| {engine.Engine} | {kind} | {number} | {run.Patches} | {run.LatenciesMs.Count} | {run.P50Ms:0.00} | {run.P99Ms:0.00} | {run.MaxMs:0.00} | " +
                        $"{run.FirstP50Ms:0.00} | {run.FirstP99Ms:0.00} | {run.ServerCpuMsPerPatch:0.0} | {run.HarnessCpuMsPerPatch:0.0} | {run.Errors} | {run.FirstError?.Replace("|", "\\|", StringComparison.Ordinal) ?? ""} |");
                }
            }
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Live review relay: a presenter and {ReviewRelay.Viewers} viewers on `/ws/review/{{playlistId}}`, {ReviewRelay.StatesPerSecond} state messages a second " +
            $"for {options.DeliverySeconds} s, each a distinct frame; each state's figure is the time from the presenter's send to the last viewer's receipt.");
        text.AppendLine();
        text.AppendLine("| engine | run | states | delivered to every viewer | p50 ms | p99 ms | max ms | errors | first error |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var engine in engines)
        {
            foreach (var (run, number) in engine.Review.Select((r, i) => (r, i + 1)))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {engine.Engine} | {number} | {run.States} | {run.LatenciesMs.Count} | {run.P50Ms:0.00} | {run.P99Ms:0.00} | {run.MaxMs:0.00} | {run.Errors} | " +
                    $"{run.FirstError?.Replace("|", "\\|", StringComparison.Ordinal) ?? ""} |");
            }
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"The API without and with {RealtimeRun.Subscribers} idle sockets (on another project's task channel, so the PATCH scenario's events are not theirs): " +
            $"{options.IdleRounds} round(s), each a {options.RunSeconds} s wrk run of every scenario without them and one with them, the order reversed every other round; " +
            $"{options.Connections} connections. Spread: highest less lowest of the runs without sockets. Before each round's runs, the server's CPU use over " +
            $"2 s with no requests, without and with the sockets, in percent of a core: {string.Join("; ", engines.Select(e => $"{e.Engine} {Percents(e.IdleCpuWithout)} without, {Percents(e.IdleCpuWith)} with"))}.");
        text.AppendLine();
        text.AppendLine("| engine | scenario | req/s without (runs) | median | req/s with (runs) | median | difference | p99 ms without (runs) | median | p99 ms with (runs) | median | difference | errors |");
        text.AppendLine("|---|---|---|---:|---|---:|---:|---|---:|---|---:|---:|---:|");
        foreach (var engine in engines)
        {
            foreach (var idle in engine.Idle)
            {
                var throughput = Compare(idle, r => r.RequestsPerSecond);
                var p99 = Compare(idle, r => r.P99Ms);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {engine.Engine} | {idle.Scenario} | {Runs(idle.Without, r => r.RequestsPerSecond, "0")} | {throughput.Without:0} | {Runs(idle.With, r => r.RequestsPerSecond, "0")} | {throughput.With:0} | {throughput.Relative:+0%;-0%} | " +
                    $"{Runs(idle.Without, r => r.P99Ms, "0.00")} | {p99.Without:0.00} | {Runs(idle.With, r => r.P99Ms, "0.00")} | {p99.With:0.00} | {p99.Relative:+0%;-0%} | {idle.Without.Concat(idle.With).Sum(r => r.Errors)} |");
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

    private static IEnumerable<(string Kind, IReadOnlyList<DeliveryRun> Runs)> Kinds(RealtimeResults engine)
    {
        yield return ("1 subscriber", engine.FanOut.Where(r => r.Subscribers == 1).ToList());
        yield return ($"{RealtimeRun.Subscribers} subscribers", engine.FanOut.Where(r => r.Subscribers == RealtimeRun.Subscribers).ToList());
        if (engine.CrossInstance.Count > 0)
        {
            yield return ("PATCH on A, 1 socket on B", engine.CrossInstance);
        }
    }

    private static IEnumerable<(string Goal, bool Met)> Goals(RealtimeResults engine)
    {
        var one = Pooled(engine.FanOut.Where(r => r.Subscribers == 1).ToList());
        var many = Pooled(engine.FanOut.Where(r => r.Subscribers == RealtimeRun.Subscribers).ToList());
        var lossless = one.Errors == 0 && many.Errors == 0;
        var losses = lossless ? "" : $"; NOT MET: {one.Errors + many.Errors} delivery errors";
        yield return ($"{engine.Engine}: fan-out p99 with {RealtimeRun.Subscribers} subscribers {many.P99:0.00} ms <= 3x the p99 with 1 ({one.P99:0.00} ms, so {3 * one.P99:0.00} ms): " +
                      $"{many.P99 / one.P99:0.0}x; per run {many.Spread} ms against {one.Spread} ms{losses}", lossless && many.P99 <= 3 * one.P99);
        yield return ($"{engine.Engine}: fan-out p99 with {RealtimeRun.Subscribers} subscribers {many.P99:0.00} ms (< 50 ms), max {many.Max:0.00} ms{losses}", lossless && many.P99 < 50);
        yield return ($"{engine.Engine}: every socket got every event exactly once, in seq order: {one.Errors + many.Errors} errors over " +
                      $"{engine.FanOut.Sum(r => r.Patches * r.Subscribers)} deliveries", lossless);

        if (engine.Review.Count > 0)
        {
            var latencies = engine.Review.SelectMany(r => r.LatenciesMs).ToList();
            var p99 = RealtimeRun.Percentile(latencies, 0.99);
            var errors = engine.Review.Sum(r => r.Errors);
            var spread = string.Join(", ", engine.Review.Select(r => r.P99Ms.ToString("0.00", CultureInfo.InvariantCulture)));
            yield return ($"{engine.Engine}: live review state from the presenter to the last of {ReviewRelay.Viewers} viewers, p99 {p99:0.00} ms (< 50 ms), " +
                          $"per run {spread} ms, {errors} relay errors", errors == 0 && p99 < 50);
        }

        if (engine.CrossInstance.Count > 0)
        {
            var cross = Pooled(engine.CrossInstance);
            yield return ($"{engine.Engine}: PATCH on instance A to a socket on instance B, p99 {cross.P99:0.00} ms (< 100 ms), per run {cross.Spread} ms, max {cross.Max:0.00} ms, " +
                          $"{cross.Errors} delivery errors", cross.Errors == 0 && cross.P99 < 100);
        }

        foreach (var idle in engine.Idle)
        {
            var throughput = Compare(idle, r => r.RequestsPerSecond);
            var p99 = Compare(idle, r => r.P99Ms);
            var errors = idle.Without.Concat(idle.With).Sum(r => r.Errors);
            // Only a slowdown counts against the goal: faster with the sockets is the machine's spread too.
            var met = throughput.Without - throughput.With <= throughput.Spread && p99.With - p99.Without <= p99.Spread && errors == 0 && engine.IdleSocketsDisturbed == 0;
            yield return ($"{engine.Engine}: {idle.Scenario} with {RealtimeRun.Subscribers} idle sockets within the spread of the runs without: " +
                          $"{throughput.With:0} against {throughput.Without:0} req/s ({throughput.Relative:+0%;-0%}, spread {throughput.Spread:0}), " +
                          $"p99 {p99.With:0.00} against {p99.Without:0.00} ms ({p99.Relative:+0%;-0%}, spread {p99.Spread:0.00}); " +
                          $"{errors} request errors, {engine.IdleSocketsDisturbed} idle sockets disturbed", met);
        }
    }

    private static (double P99, double Max, int Errors, string Spread) Pooled(IReadOnlyList<DeliveryRun> runs)
    {
        var latencies = runs.SelectMany(r => r.LatenciesMs).ToList();
        var p99s = runs.Select(r => r.P99Ms).ToList();
        var spread = p99s.Count == 0 ? "-" : $"{p99s.Min().ToString("0.00", CultureInfo.InvariantCulture)}–{p99s.Max().ToString("0.00", CultureInfo.InvariantCulture)}";
        // A PATCH some socket never got has no delivery time: it is among the errors, which fail the goal.
        return (RealtimeRun.Percentile(latencies, 0.99), latencies.Count == 0 ? double.NaN : latencies.Max(), runs.Sum(r => r.Errors), spread);
    }

    private static (double Without, double With, double Relative, double Spread) Compare(IdleComparison idle, Func<LoadResult, double> figure)
    {
        var without = Measurement.MedianOf(idle.Without.Select(figure));
        var with = Measurement.MedianOf(idle.With.Select(figure));
        return (without, with, with / without - 1, idle.Without.Max(figure) - idle.Without.Min(figure));
    }

    private static string Percents(IEnumerable<double> values) => string.Join(" ", values.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture) + "%"));

    private static string Runs(IEnumerable<LoadResult> runs, Func<LoadResult, double> figure, string format) =>
        string.Join(" ", runs.Select(r => figure(r).ToString(format, CultureInfo.InvariantCulture)));
}
