namespace Montu.Bench;

/// <summary>
/// Measures every scenario on one engine at every show size. The shows are prepared first; then,
/// per scenario, each is warmed up, and Montu and baseline runs alternate (A B A B …) with each
/// pair going through every show size in turn (forwards, then backwards), so drift on the machine
/// hits all figures alike, the 100k-versus-10k ratio included.
/// </summary>
public sealed class BenchRun(BenchOptions options, string engine)
{
    public async Task<(IReadOnlyList<Measurement> Results, IReadOnlyDictionary<int, double> PeakRssMb)> RunAsync()
    {
        var shows = new List<ShowUnderTest>();
        try
        {
            foreach (var size in options.Sizes)
            {
                shows.Add(new ShowUnderTest(options, engine, size));
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
                    Hold(shows);
                }

                results.AddRange(await MeasureAsync(shows, index));
            }

            return (results, shows.ToDictionary(s => s.Size, s => s.Server.PeakRssMb()));
        }
        finally
        {
            foreach (var show in shows)
            {
                await show.DisposeAsync();
            }
        }
    }

    private void Hold(IReadOnlyList<ShowUnderTest> shows)
    {
        foreach (var show in shows)
        {
            Progress.Say($"[{engine} {show.Size}] holding: server PID {show.Server.Pid} at {show.Server.BaseUrl}, wrk scripts in {show.WorkDir}");
        }

        Progress.Say("Press Enter to measure");
        Console.ReadLine();
    }

    private async Task<IEnumerable<Measurement>> MeasureAsync(IReadOnlyList<ShowUnderTest> shows, int index)
    {
        var real = shows.ToDictionary(s => s.Size, _ => new List<LoadResult>());
        var bare = shows.ToDictionary(s => s.Size, _ => new List<LoadResult>());
        for (var pair = 0; pair < options.Pairs; pair++)
        {
            // Every other pair goes through the sizes backwards, so no size always runs right after another's load.
            foreach (var show in pair % 2 == 0 ? shows : shows.Reverse())
            {
                real[show.Size].Add(await show.RunAsync(show.Server, show.Scenarios[index]));
                bare[show.Size].Add(await show.RunAsync(show.Baseline, show.Scenarios[index]));
            }
        }

        return shows.Select(show =>
        {
            var measurement = new Measurement(engine, show.Size, show.Scenarios[index], Measurement.Median(real[show.Size]), Measurement.Median(bare[show.Size]), real[show.Size]);
            Progress.Say($"[{engine} {show.Size}] {measurement.Scenario.Name}: {measurement.Real.RequestsPerSecond:0} req/s ({measurement.Ratio:P0} of baseline), p99 {measurement.Real.P99Ms:0.00} ms, errors {measurement.Real.Errors}; runs {Runs(real[show.Size])}; baseline runs {Runs(bare[show.Size])}");
            return measurement;
        }).ToList();
    }

    private static string Runs(IEnumerable<LoadResult> runs) => string.Join(" ", runs.Select(r => $"{r.RequestsPerSecond:0}/{r.P99Ms:0.0}ms"));
}
