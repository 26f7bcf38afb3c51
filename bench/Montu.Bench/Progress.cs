using System.Diagnostics;

namespace Montu.Bench;

/// <summary>Progress lines, stamped with the seconds since the harness started, so slow phases show.</summary>
public static class Progress
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Say(string line) => Console.WriteLine($"{Clock.Elapsed.TotalSeconds,5:0}s {line}");
}
