using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Tests.Infrastructure.Jobs;

/// <summary>
/// A server whose workers run test kinds (<see cref="TestJobs"/>) on a hand-moved clock. They
/// look for work only when woken (a job enqueued here, a slot freed, <see cref="Wake"/>), so a
/// test decides when they look. Leases last 3 s of the clock and are renewed every real second;
/// on stop, running jobs get 0.3 s before they are handed back.
/// </summary>
public class JobsApp : TestApp
{
    private readonly string[] _kinds;

    public JobsApp()
    {
        Settings["Jobs:PollSeconds"] = "86400";
        Settings["Jobs:LeaseSeconds"] = "3";
        _kinds = TestJobs.ClassKinds;
    }

    private JobsApp(JobsApp first, string[] kinds)
        : base(first)
    {
        Clock = first.Clock;
        _kinds = kinds;
    }

    // Named in full: Montu.Server.Tests.Infrastructure has a ManualClock of its own.
    public Tests.ManualClock Clock { get; } = new();

    /// <summary>What this instance's handlers ran.</summary>
    public JobRuns Runs { get; } = new();

    public JobQueue Queue => Services.GetRequiredService<JobQueue>();

    public string WorkerId => Services.GetServices<IHostedService>().OfType<JobWorkers>().Single().WorkerId;

    /// <summary>Another server on this one's database, running only <paramref name="kinds"/>; initialize and dispose it yourself.</summary>
    public JobsApp Another(params string[] kinds) => new(this, kinds);

    public void Wake() => Services.GetRequiredService<JobSignal>().Wake();

    public Task<string> EnqueueAsync(NewJob job) =>
        Db.InTransactionAsync(tx => Queue.EnqueueAsync(tx, job, CancellationToken.None), CancellationToken.None);

    public async Task<JobState?> JobAsync(string id)
    {
        await using var connection = await Db.OpenAsync(CancellationToken.None);
        return await connection.QuerySingleOrDefaultAsync<JobState>("""
            SELECT id, kind, status, attempts, worker_id, not_before, lease_expires_at, error, started_at, finished_at
            FROM jobs WHERE id = @id
            """, new { id });
    }

    /// <summary>The job once <paramref name="done"/> holds, or as it is after ten seconds (for the test's assertions to report).</summary>
    public async Task<JobState> WaitForAsync(string id, Func<JobState, bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var job = await JobAsync(id) ?? throw new InvalidOperationException($"No job {id}");
            if (done(job) || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                return job;
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Wakes the workers and waits until they have looked for work: a job enqueued after the wake
    /// is claimed by the same look, or a later one, and completes.
    /// </summary>
    public async Task LetWorkersLookAsync()
    {
        Wake();
        var probe = await EnqueueAsync(new NewJob(TestJobs.Tally));
        Assert.Equal("completed", (await WaitForAsync(probe, j => j.Status == "completed")).Status);
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300));
        foreach (var kind in _kinds)
        {
            services.AddSingleton(TestJobs.Handler(kind, Runs));
        }
    }
}

/// <summary>A row of the jobs table, as tests inspect it.</summary>
public sealed class JobState
{
    public string Id { get; init; } = "";

    public string Kind { get; init; } = "";

    public string Status { get; init; } = "";

    public int Attempts { get; init; }

    public string? WorkerId { get; init; }

    public DateTime? NotBefore { get; init; }

    public DateTime? LeaseExpiresAt { get; init; }

    public string? Error { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? FinishedAt { get; init; }
}
