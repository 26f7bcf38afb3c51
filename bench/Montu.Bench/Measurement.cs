namespace Montu.Bench;

/// <summary>The medians of a scenario's alternating runs against Montu (real) and the baseline.</summary>
public sealed record Measurement(string Engine, int Size, Scenario Scenario, LoadResult Real, LoadResult Baseline)
{
    public double Ratio => Real.RequestsPerSecond / Baseline.RequestsPerSecond;

    public static LoadResult Median(IReadOnlyList<LoadResult> runs) => new(
        MedianOf(runs.Select(r => r.RequestsPerSecond)),
        MedianOf(runs.Select(r => r.P50Ms)),
        MedianOf(runs.Select(r => r.P99Ms)),
        runs.Sum(r => r.Requests),
        runs.Sum(r => r.Errors));

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
