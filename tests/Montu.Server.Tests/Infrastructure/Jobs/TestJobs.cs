using System.Collections.Concurrent;
using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Tests.Infrastructure.Jobs;

/// <summary>The kinds test servers run, each with its own behaviour.</summary>
public static class TestJobs
{
    /// <summary>Completes at once.</summary>
    public const string Tally = "test_tally";

    /// <summary>Two at a time, each until the test opens its gate.</summary>
    public const string Capped = "test_capped";

    /// <summary>One at a time, until the test opens its gate.</summary>
    public const string Held = "test_held";

    /// <summary>As <see cref="Held"/>, run only by the servers of the restart test.</summary>
    public const string Survivor = "test_survivor";

    /// <summary>Never ends by itself; its timeout is 0.1 s.</summary>
    public const string Stuck = "test_stuck";

    /// <summary>Fails, retryably.</summary>
    public const string Flaky = "test_flaky";

    /// <summary>Throws an exception that is no <see cref="JobFailedException"/>.</summary>
    public const string Broken = "test_broken";

    /// <summary>Ends at its first await, four at a time: claimed by two servers at once, as often as they can.</summary>
    public const string Shared = "test_shared";

    /// <summary>What the shared test server runs.</summary>
    public static readonly string[] ClassKinds = [Tally, Capped, Held, Stuck, Flaky, Broken, Shared];

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static IJobHandler Handler(string kind, JobRuns runs) => kind switch
    {
        Tally => new TestHandler(kind, 4, Minute, runs, (_, _) => Task.CompletedTask),
        Capped => new TestHandler(kind, 2, Minute, runs, runs.UntilOpenedAsync),
        Held or Survivor => new TestHandler(kind, 1, Minute, runs, runs.UntilOpenedAsync),
        Stuck => new TestHandler(kind, 1, TimeSpan.FromMilliseconds(100), runs, (_, ct) => Task.Delay(Timeout.Infinite, ct)),
        Flaky => new TestHandler(kind, 1, Minute, runs, (_, _) => throw new JobFailedException("render node busy", retryable: true)),
        Broken => new TestHandler(kind, 1, Minute, runs, (_, _) => throw new InvalidOperationException("no codec for this file")),
        Shared => new TestHandler(kind, 4, Minute, runs, async (_, _) => await Task.Yield()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such test kind"),
    };

    private sealed class TestHandler(string kind, int concurrency, TimeSpan timeout, JobRuns runs, Func<LeasedJob, CancellationToken, Task> work) : IJobHandler
    {
        public string Kind => kind;

        public int Concurrency => concurrency;

        public TimeSpan Timeout => timeout;

        public Task RunAsync(LeasedJob job, CancellationToken ct) => runs.RecordAsync(job, () => work(job, ct));
    }
}

/// <summary>Every run one server's test handlers made, how many ran at once, and the gates held jobs wait at.</summary>
public sealed class JobRuns
{
    private readonly ConcurrentQueue<LeasedJob> _started = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, int> _running = new();
    private readonly ConcurrentDictionary<string, int> _mostAtOnce = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _endings = new();

    public IReadOnlyList<LeasedJob> Started => [.. _started];

    public int Count(string jobId) => _started.Count(j => j.Id == jobId);

    public int Running(string kind) => _running.GetValueOrDefault(kind);

    public int MostAtOnce(string kind) => _mostAtOnce.GetValueOrDefault(kind);

    /// <summary>Lets the held job <paramref name="jobId"/> finish (now, or as soon as it starts).</summary>
    public void Open(string jobId) => Gate(jobId).TrySetResult();

    public Task UntilOpenedAsync(LeasedJob job, CancellationToken ct) => Gate(job.Id).Task.WaitAsync(ct);

    /// <summary>How the handler's last run of <paramref name="jobId"/> ended: <c>returned</c>, <c>cancelled</c> or <c>threw</c>.</summary>
    public Task<string> EndingAsync(string jobId) => Ending(jobId).Task.WaitAsync(TimeSpan.FromSeconds(10));

    public async Task RecordAsync(LeasedJob job, Func<Task> work)
    {
        _started.Enqueue(job);
        var now = _running.AddOrUpdate(job.Kind, 1, (_, n) => n + 1);
        _mostAtOnce.AddOrUpdate(job.Kind, now, (_, most) => Math.Max(most, now));
        try
        {
            await work();
            Ending(job.Id).TrySetResult("returned");
        }
        catch (OperationCanceledException)
        {
            Ending(job.Id).TrySetResult("cancelled");
            throw;
        }
        catch
        {
            Ending(job.Id).TrySetResult("threw");
            throw;
        }
        finally
        {
            _running.AddOrUpdate(job.Kind, 0, (_, n) => n - 1);
        }
    }

    private TaskCompletionSource<string> Ending(string jobId) =>
        _endings.GetOrAdd(jobId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    private TaskCompletionSource Gate(string jobId) => _gates.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
