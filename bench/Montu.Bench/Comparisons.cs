namespace Montu.Bench;

/// <summary>A list scenario on the largest show against the smallest, both in one <see cref="InterleavedRun"/>.</summary>
public sealed record SizeScaling(string Engine, string Scenario, int SmallSize, int LargeSize, InterleavedResult Small, InterleavedResult Large, long Errors)
{
    public double Ratio => Large.RequestsPerSecond / Small.RequestsPerSecond;
}

/// <summary>A scenario's p99 against its <see cref="Scenario.P99ComparedWith"/> on one show, both in one <see cref="InterleavedRun"/>.</summary>
public sealed record P99Comparison(string Engine, int Size, string Scenario, string ComparedWith, double Factor, InterleavedResult Measured,
    InterleavedResult Reference, long Errors)
{
    public double Ratio => Measured.P99Ms / Reference.P99Ms;
}

/// <summary>Everything one engine's run measured.</summary>
public sealed record EngineResults(string Engine, IReadOnlyList<Measurement> Measurements, IReadOnlyList<SizeScaling> Scalings,
    IReadOnlyList<P99Comparison> P99Comparisons, double PeakRssMb);
