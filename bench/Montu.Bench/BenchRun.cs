namespace Montu.Bench;

/// <summary>
/// Measures every scenario on one engine at every show size, all shows on one Montu server. The
/// shows are prepared first; then, per scenario, each is warmed up, and Montu and baseline runs
/// alternate (A B A B …): each pair runs Montu on every show size in turn, then every size's
/// baseline (forwards, then backwards), so drift on the machine hits all figures alike. The goals
/// comparing two figures of Montu then get an <see cref="InterleavedRun"/> each.
/// </summary>
public sealed class BenchRun(BenchOptions options, string engine)
{
    public async Task<EngineResults> RunAsync()
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

            var measurements = new List<Measurement>();
            var scalings = new List<SizeScaling>();
            var comparisons = new List<P99Comparison>();
            for (var index = 0; index < shows[0].Scenarios.Count; index++)
            {
                foreach (var show in shows)
                {
                    await show.WarmUpAsync(show.Scenarios[index], codeWarmed: show != shows[0]);
                }

                if (options.Hold && index == 0)
                {
                    Hold(montu, shows);
                }

                measurements.AddRange(await MeasureAsync(shows, index));
                var scenario = shows[0].Scenarios[index];
                if (shows.Count >= 2 && scenario is { IsList: true, Contrast: false })
                {
                    scalings.Add(await MeasureScalingAsync(montu, shows, index));
                }

                if (scenario.P99ComparedWith is not null)
                {
                    foreach (var show in shows)
                    {
                        comparisons.Add(await MeasureP99Async(show, index));
                    }
                }
            }

            return new EngineResults(engine, measurements, scalings, comparisons, montu.Server.PeakRssMb());
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
        var bare = shows.ToDictionary(s => s.Size, _ => new List<LoadResult>());
        for (var pair = 0; pair < options.Pairs; pair++)
        {
            // Every other pair goes through the sizes backwards, so no size always runs right after another's load.
            var order = pair % 2 == 0 ? shows : shows.AsEnumerable().Reverse().ToList();
            foreach (var show in order)
            {
                real[show.Size].Add(await show.RunAsync(show.Server, show.Scenarios[index]));
            }

            foreach (var show in order)
            {
                bare[show.Size].Add(await show.RunAsync(show.Baseline, show.Scenarios[index]));
            }
        }

        return shows.Select(show =>
        {
            var measurement = new Measurement(engine, show.Size, show.Scenarios[index], Measurement.Median(real[show.Size]), Measurement.Median(bare[show.Size]));
            Progress.Say($"[{engine} {show.Size}] {measurement.Scenario.Name}: {measurement.Real.RequestsPerSecond:0} req/s ({measurement.Ratio:P0} of baseline), p99 {measurement.Real.P99Ms:0.00} ms, errors {measurement.Real.Errors}; runs {Runs(real[show.Size])}; baseline runs {Runs(bare[show.Size])}");
            return measurement;
        }).ToList();
    }

    private async Task<SizeScaling> MeasureScalingAsync(MontuUnderTest montu, IReadOnlyList<ShowUnderTest> shows, int index)
    {
        var bySize = shows.OrderBy(s => s.Size).ToList();
        var scenario = bySize[0].Scenarios[index];
        var (results, errors) = await InterleavedRun.RunAsync(
            bySize.Select(s => new InterleavedRequest(s.Scenarios[index].PathAndQuery, s.Token)).ToList(),
            Path.Combine(montu.WorkDir, $"{scenario.Name}.sizes.lua"), ShowUnderTest.LoadCore, montu.Server.BaseUrl, options.Connections, options.ScalingRunSeconds);
        var scaling = new SizeScaling(engine, scenario.Name, bySize[0].Size, bySize[^1].Size, results[0], results[^1], errors);
        Progress.Say($"[{engine}] {scaling.Scenario}, every size in one run: {scaling.SmallSize} at {scaling.Small.RequestsPerSecond:0} req/s, " +
                     $"{scaling.LargeSize} at {scaling.Large.RequestsPerSecond:0} req/s ({scaling.Ratio:P0}), errors {errors}");
        return scaling;
    }

    private async Task<P99Comparison> MeasureP99Async(ShowUnderTest show, int index)
    {
        var scenario = show.Scenarios[index];
        var reference = show.Scenarios.Single(s => s.Name == scenario.P99ComparedWith);
        var (results, errors) = await InterleavedRun.RunAsync(
            [new InterleavedRequest(scenario.PathAndQuery, show.Token), new InterleavedRequest(reference.PathAndQuery, show.Token)],
            Path.Combine(show.WorkDir, $"{scenario.Name}.with-{reference.Name}.lua"), ShowUnderTest.LoadCore, show.Server.BaseUrl, options.Connections,
            options.P99RunSeconds);
        var comparison = new P99Comparison(engine, show.Size, scenario.Name, reference.Name, scenario.P99Factor, results[0], results[1], errors);
        Progress.Say($"[{engine} {show.Size}] {scenario.Name} and {reference.Name} in one run: p99 {comparison.Measured.P99Ms:0.00} and " +
                     $"{comparison.Reference.P99Ms:0.00} ms ({comparison.Ratio:0.00}x), {comparison.Measured.RequestsPerSecond:0} and {comparison.Reference.RequestsPerSecond:0} req/s, errors {errors}");
        return comparison;
    }

    private static string Runs(IEnumerable<LoadResult> runs) => string.Join(" ", runs.Select(r => $"{r.RequestsPerSecond:0}/{r.P99Ms:0.0}ms"));
}
