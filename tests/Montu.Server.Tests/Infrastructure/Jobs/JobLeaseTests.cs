using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Tests.Infrastructure.Jobs;

/// <summary>Leases: a job is one worker's at a time, comes back when its worker dies, and outlives a server.</summary>
public sealed class JobLeaseTests(JobsApp app) : IClassFixture<JobsApp>
{
    private static readonly TimeSpan Precision = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan HalfMinute = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_job_whose_worker_died_is_taken_back_when_its_lease_runs_out_and_run_by_another_worker()
    {
        var (id, dead) = await EnqueueAndClaimAsync(TestJobs.Tally, "worker_dead");
        Assert.Equal(id, dead.Id);

        app.Clock.Advance(HalfMinute + TimeSpan.FromSeconds(1));
        app.Wake();
        var requeued = await app.WaitForAsync(id, j => j.Attempts == 1);
        Assert.Equal("queued", requeued.Status);
        Assert.Equal("the lease of worker worker_dead expired", requeued.Error);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(10), requeued.NotBefore!.Value, Precision);
        Assert.Equal(0, app.Runs.Count(id));

        app.Clock.Advance(TimeSpan.FromSeconds(10));
        app.Wake();
        var job = await app.WaitForAsync(id, j => j.Status == "completed");

        Assert.Equal("completed", job.Status);
        Assert.Equal(1, job.Attempts);
        Assert.Null(job.Error);
        Assert.Equal(app.WorkerId, job.WorkerId);
        Assert.Equal(1, app.Runs.Count(id));
    }

    [Fact]
    public async Task A_worker_whose_lease_ran_out_cannot_report_on_the_job_even_once_it_leases_it_again()
    {
        // No handler in the server runs this kind: only the claims below touch it.
        const string Kind = "test_external_render";
        var (id, stale) = await EnqueueAndClaimAsync(Kind, "worker_render01");
        app.Clock.Advance(HalfMinute + TimeSpan.FromSeconds(1));
        await InTransaction(tx => app.Queue.RequeueExpiredAsync(tx, CancellationToken.None).ContinueWith(_ => true, TaskScheduler.Default));
        // The server's own poll may have taken the lease back first (this sweep then skips the row it
        // holds), so the retry is due when the job says, not at a time computed here.
        var requeued = await app.WaitForAsync(id, j => j.Attempts == 1);
        app.Clock.Advance(requeued.NotBefore!.Value - app.Clock.GetUtcNow().UtcDateTime);
        var current = Assert.Single(await InTransaction(tx => app.Queue.ClaimAsync(tx, "worker_render01", [Kind], 1, HalfMinute, CancellationToken.None)));
        Assert.Equal(id, current.Id);
        Assert.Equal(1, current.Attempts);

        Assert.False(await InTransaction(tx => app.Queue.CompleteAsync(tx, stale, CancellationToken.None)));
        Assert.Null(await InTransaction(tx => app.Queue.FailAsync(tx, stale, "late report", retryable: false, CancellationToken.None)));
        Assert.False(await InTransaction(tx => app.Queue.RenewAsync(tx, stale, HalfMinute, CancellationToken.None)));
        var untouched = (await app.JobAsync(id))!;
        Assert.Equal("leased", untouched.Status);
        Assert.Equal(1, untouched.Attempts);
        Assert.Equal("the lease of worker worker_render01 expired", untouched.Error);

        Assert.True(await InTransaction(tx => app.Queue.CompleteAsync(tx, current, CancellationToken.None)));
        Assert.Equal("completed", (await app.JobAsync(id))!.Status);
    }

    [Fact]
    public async Task A_job_running_when_its_server_stops_goes_back_to_the_queue_and_runs_on_the_next_server()
    {
        var first = app.Another(TestJobs.Survivor);
        await first.InitializeAsync();
        var id = await first.EnqueueAsync(new NewJob(TestJobs.Survivor));
        Assert.Equal("running", (await app.WaitForAsync(id, j => j.Status == "running")).Status);

        await first.DisposeAsync();
        var handedBack = (await app.JobAsync(id))!;
        Assert.Equal("queued", handedBack.Status);
        Assert.Equal(0, handedBack.Attempts);
        Assert.Null(handedBack.WorkerId);

        var next = app.Another(TestJobs.Survivor);
        next.Runs.Open(id);
        await next.InitializeAsync();
        try
        {
            var job = await app.WaitForAsync(id, j => j.Status == "completed");
            Assert.Equal("completed", job.Status);
            Assert.Equal(0, job.Attempts);
            Assert.Equal(next.WorkerId, job.WorkerId);
            Assert.Equal(1, first.Runs.Count(id));
            Assert.Equal(1, next.Runs.Count(id));
        }
        finally
        {
            await next.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Two_servers_on_one_database_run_each_job_once_between_them()
    {
        await using var other = app.Another(TestJobs.Shared);
        await other.InitializeAsync();

        var ids = await app.Db.InTransactionAsync(async tx =>
        {
            var enqueued = new List<string>();
            for (var i = 0; i < 200; i++)
            {
                enqueued.Add(await app.Queue.EnqueueAsync(tx, new NewJob(TestJobs.Shared), CancellationToken.None));
            }

            return enqueued;
        }, CancellationToken.None);
        other.Wake();

        foreach (var id in ids)
        {
            Assert.Equal("completed", (await app.WaitForAsync(id, j => j.Status == "completed")).Status);
        }

        var here = app.Runs.Started.Where(r => r.Kind == TestJobs.Shared).Select(r => r.Id).ToList();
        var there = other.Runs.Started.Select(r => r.Id).ToList();
        Assert.Equal(ids.Order(), here.Concat(there).Order());
        Assert.NotEmpty(here);
        Assert.NotEmpty(there);
    }

    private async Task<(string Id, LeasedJob Lease)> EnqueueAndClaimAsync(string kind, string workerId) =>
        await InTransaction(async tx =>
        {
            var id = await app.Queue.EnqueueAsync(tx, new NewJob(kind), CancellationToken.None);
            var lease = Assert.Single(await app.Queue.ClaimAsync(tx, workerId, [kind], 1, HalfMinute, CancellationToken.None));
            return (id, lease);
        });

    private Task<T> InTransaction<T>(Func<System.Data.Common.DbTransaction, Task<T>> work) => app.Db.InTransactionAsync(work, CancellationToken.None);
}
