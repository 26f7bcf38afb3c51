using System.Diagnostics;

namespace Montu.Server.Tests;

/// <summary>For what the server does a moment after it answers (background jobs, announcements, dropped uploads).</summary>
public static class Poll
{
    /// <summary>Reads until <paramref name="done"/> holds, for up to ten seconds; the last value read either way.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || started.Elapsed > TimeSpan.FromSeconds(10))
            {
                return value;
            }

            await Task.Delay(20);
        }
    }
}
