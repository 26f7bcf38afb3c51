using System.Diagnostics;

namespace Montu.Server.Features.Monitoring;

/// <summary>
/// How long this process has run and what it uses. CPU is sampled every five seconds so a reading
/// always covers about the last minute, however rarely <c>/stats</c> is asked.
/// </summary>
public sealed class ProcessUsage : IDisposable
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ShortestWindow = TimeSpan.FromSeconds(1);
    private const int Samples = 12;
    private const double Mebibyte = 1024 * 1024;

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly (DateTimeOffset At, TimeSpan Cpu)[] _samples = new (DateTimeOffset, TimeSpan)[Samples];
    private readonly ITimer _sampler;
    private int _taken;

    public ProcessUsage(TimeProvider time)
    {
        _time = time;
        using var process = Process.GetCurrentProcess();
        StartedAt = new DateTimeOffset(process.StartTime.ToUniversalTime());
        _sampler = time.CreateTimer(_ => Sample(), null, TimeSpan.Zero, SampleEvery);
    }

    public DateTimeOffset StartedAt { get; }

    public long UptimeSeconds => Math.Max(0, (long)(_time.GetUtcNow() - StartedAt).TotalSeconds);

    public static double MemoryUsageMb => Math.Round(Environment.WorkingSet / Mebibyte, 1);

    /// <summary>
    /// CPU time used since the oldest sample kept, over the wall time since then and all cores;
    /// since start while the samples span less than a second.
    /// </summary>
    public double CpuUsagePercent()
    {
        var now = _time.GetUtcNow();
        var cpu = Environment.CpuUsage.TotalTime;
        (DateTimeOffset At, TimeSpan Cpu) oldest;
        lock (_lock)
        {
            oldest = _taken == 0 ? (StartedAt, TimeSpan.Zero) : _samples[_taken < Samples ? 0 : _taken % Samples];
        }

        if (now - oldest.At < ShortestWindow)
        {
            oldest = (StartedAt, TimeSpan.Zero);
        }

        var wall = now - oldest.At;
        if (wall <= TimeSpan.Zero)
        {
            return 0;
        }

        return Math.Round(Math.Clamp(100 * ((cpu - oldest.Cpu) / (wall * Environment.ProcessorCount)), 0, 100), 1);
    }

    public void Dispose() => _sampler.Dispose();

    private void Sample()
    {
        var sample = (_time.GetUtcNow(), Environment.CpuUsage.TotalTime);
        lock (_lock)
        {
            _samples[_taken % Samples] = sample;
            _taken++;
        }
    }
}
