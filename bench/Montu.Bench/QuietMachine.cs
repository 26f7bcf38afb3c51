using System.Diagnostics;
using System.Globalization;

namespace Montu.Bench;

/// <summary>
/// Waits, before every run, until each core has been idle for a moment. What a run leaves behind
/// keeps a core busy after wrk stops: requests still in flight, the tiered JIT compiling what the
/// run made hot (its background thread gets little time while the core is saturated), a GC, a WAL
/// checkpoint, autovacuum. Unawaited, it is measured as part of the next run, which is often
/// the other show's or a baseline sharing the core.
/// </summary>
public static class QuietMachine
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    /// <summary>A core is quiet when at most this share of a window went to anything but idle.</summary>
    private const double BusyShare = 0.1;

    public static async Task WaitAsync(string before)
    {
        var started = Stopwatch.GetTimestamp();
        var last = ReadCores();
        while (true)
        {
            await Task.Delay(Window);
            var now = ReadCores();
            if (now.Zip(last, (n, l) => Busy(n, l)).All(share => share <= BusyShare))
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(started) > Limit)
            {
                Progress.Say($"warning: the machine was still busy after {Limit.TotalSeconds:0} s; measuring {before} anyway");
                return;
            }

            last = now;
        }
    }

    private static double Busy((long Busy, long Total) now, (long Busy, long Total) last) =>
        now.Total == last.Total ? 0 : (double)(now.Busy - last.Busy) / (now.Total - last.Total);

    /// <summary>Busy and total clock ticks of every core, from the <c>cpuN</c> lines of <c>/proc/stat</c>.</summary>
    private static List<(long Busy, long Total)> ReadCores() => File.ReadLines("/proc/stat")
        .Where(line => line.StartsWith("cpu", StringComparison.Ordinal) && char.IsAsciiDigit(line[3]))
        .Select(line =>
        {
            // user nice system idle iowait irq softirq steal ...: idle and iowait are a core doing nothing.
            var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).Take(8).ToArray();
            var total = ticks.Sum();
            return (total - ticks[3] - ticks[4], total);
        })
        .ToList();
}
