namespace Montu.Bench;

/// <summary>
/// Measures every scenario on one engine at every show size, all shows on one Montu server. The
/// shows are prepared first; then, per scenario, each is warmed up, and Montu and baseline runs
/// alternate (A B A B …): each pair runs Montu on every show size in turn, then every size's
/// baseline (forwards, then backwards), so drift on the machine hits all figures alike.
/// </summary>
public sealed class BenchRun(BenchOptions options, string engine)
{
    public async Task<(IReadOnlyList<Measurement> Results, double PeakRssMb)> RunAsync()
    {
        await using var montu = new MontuUnderTest(options, engine);
        var shows = new List<ShowUnderTest>();
        try
        {
            await montu.PrepareAsync(options.Sizes);
            foreach (var size in options.Sizes)
            {
                shows.Add(new ShowUnderTest(options, engine, size, montu));
                await shows[^1].PrepareAsync();
            }

            var results = new List<Measurement>();
            for (var index = 0; index < shows[0].Scenarios.Count; index++)
            {
                foreach (var show in shows)
                {
                    await show.WarmUpAsync(show.Scenarios[index]);
                }

                if (options.Hold && index == 0)
                {
                    Hold(montu, shows);
                }

                results.AddRange(await MeasureAsync(shows, index));
            }

            return (results, montu.Server.PeakRssMb());
        }
        finally
        {
            foreach (var show in shows)
            {
                await show.DisposeAsync();
            }
        }
    }

    private void Hold(MontuUnderTest montu, IReadOnlyList<ShowUnderTest> shows)
    {
        Progress.Say($"[{engine}] holding: server PID {montu.Server.Pid} at {montu.Server.BaseUrl}");
        foreach (var show in shows)
        {
            Progress.Say($"[{engine} {show.Size}] wrk scripts in {show.WorkDir}, baseline PID {show.Baseline.Pid} at {show.Baseline.BaseUrl}");
        }

        Progress.Say("Press Enter to measure");
        Console.ReadLine();
    }

    private async Task<IEnumerable<Measurement>> MeasureAsync(IReadOnlyList<ShowUnderTest> shows, int index)
    {
        var real = shows.ToDictionary(s => s.Size, _ => new List<LoadResult>());
        var compared = shows.ToDictionary(s => s.Size, _ => new List<LoadResult>());
        var bare = shows.ToDictionary(s => s.Size, _ => new List<LoadResult>());
        for (var pair = 0; pair < options.Pairs; pair++)
        {
            // Montu's runs of every size back to back, then their baselines: the machine's speed
            // drifts by up to 40% within a minute, so the 100k-versus-10k ratio compares runs
            // as close in time as can be. Every other pair goes through the sizes backwards, so
            // no size always runs right after another's load.
            var forwards = pair % 2 == 0;
            var order = forwards ? shows : shows.AsEnumerable().Reverse().ToList();
            foreach (var show in order)
            {
                var scenario = show.Scenarios[index];
                var reference = show.Scenarios.SingleOrDefault(s => s.Name == scenario.P99ComparedWith);
                if (reference is not null && !forwards)
                {
                    compared[show.Size].Add(await show.RunAsync(show.Server, reference));
                }

                real[show.Size].Add(await show.RunAsync(show.Server, scenario));
                if (reference is not null && forwards)
                {
                    compared[show.Size].Add(await show.RunAsync(show.Server, reference));
                }
            }

            foreach (var show in order)
            {
                bare[show.Size].Add(await show.RunAsync(show.Baseline, show.Scenarios[index]));
            }
        }

        return shows.Select(show =>
        {
            var measurement = new Measurement(engine, show.Size, show.Scenarios[index], Measurement.Median(real[show.Size]), Measurement.Median(bare[show.Size]),
                real[show.Size], compared[show.Size]);
            var beside = compared[show.Size].Count == 0 ? "" : $"; {measurement.Scenario.P99ComparedWith} runs beside them {Runs(compared[show.Size])}";
            Progress.Say($"[{engine} {show.Size}] {measurement.Scenario.Name}: {measurement.Real.RequestsPerSecond:0} req/s ({measurement.Ratio:P0} of baseline), p99 {measurement.Real.P99Ms:0.00} ms, errors {measurement.Real.Errors}; runs {Runs(real[show.Size])}; baseline runs {Runs(bare[show.Size])}{beside}");
            return measurement;
        }).ToList();
    }

    private static string Runs(IEnumerable<LoadResult> runs) => string.Join(" ", runs.Select(r => $"{r.RequestsPerSecond:0}/{r.P99Ms:0.0}ms"));
}
