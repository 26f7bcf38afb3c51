using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Tests.Infrastructure.Jobs;

/// <summary>Which queued jobs a claim takes. The kinds here have no handler in the server: only these claims touch them.</summary>
public sealed class JobClaimTests(JobsApp app) : IClassFixture<JobsApp>
{
    private const string KindA = "test_claim_a";
    private const string KindB = "test_claim_b";
    private const string KindC = "test_claim_c";

    [Fact]
    public async Task A_claim_takes_the_highest_priority_then_the_oldest_due_job_of_the_kinds_it_asks_for()
    {
        var a1 = await EnqueueAsync(new NewJob(KindA));
        var b1 = await EnqueueAsync(new NewJob(KindB));
        var a2 = await EnqueueAsync(new NewJob(KindA) { Priority = 80 });
        var b2 = await EnqueueAsync(new NewJob(KindB) { Priority = 80, NotBefore = app.Clock.GetUtcNow().AddMinutes(1) });
        var c1 = await EnqueueAsync(new NewJob(KindC) { Priority = 99 });
        var a3 = await EnqueueAsync(new NewJob(KindA));

        Assert.Equal([a2], await ClaimAsync([KindA], 1));
        Assert.Equal([a1], await ClaimAsync([KindA], 1));
        Assert.Equal([b1], await ClaimAsync([KindA, KindB], 1));
        Assert.Equal([a3], await ClaimAsync([KindA, KindB], 5));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([b2], await ClaimAsync([KindA, KindB], 5));

        var untouched = (await app.JobAsync(c1))!;
        Assert.Equal("queued", untouched.Status);
        Assert.Null(untouched.WorkerId);
    }

    [Fact]
    public async Task A_claimed_job_is_leased_to_its_worker_for_the_time_asked()
    {
        var id = await EnqueueAsync(new NewJob(KindC, new { frames = 48 }) { Priority = 10, MaxAttempts = 5, BatchId = "batch_1", CreatedBy = "user_1" });

        var lease = Assert.Single(await app.Db.InTransactionAsync(
            tx => app.Queue.ClaimAsync(tx, "worker_farm01", [KindC], 1, TimeSpan.FromMinutes(2), CancellationToken.None), CancellationToken.None));

        Assert.Equal(id, lease.Id);
        Assert.Equal(("worker_farm01", 0, 5, 10, "batch_1", "user_1"), (lease.WorkerId, lease.Attempts, lease.MaxAttempts, lease.Priority, lease.BatchId, lease.CreatedBy));
        Assert.Equal(48, lease.Params.GetProperty("frames").GetInt32());
        var job = (await app.JobAsync(id))!;
        Assert.Equal("leased", job.Status);
        Assert.Equal("worker_farm01", job.WorkerId);
        Assert.Null(job.StartedAt);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddMinutes(2), job.LeaseExpiresAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(lease.LeaseExpiresAt, job.LeaseExpiresAt.Value, TimeSpan.FromMilliseconds(1));
    }

    /// <summary>Enqueues a second after the job before, so queue age orders them.</summary>
    private async Task<string> EnqueueAsync(NewJob job)
    {
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        return await app.EnqueueAsync(job);
    }

    private async Task<string[]> ClaimAsync(string[] kinds, int max)
    {
        var leased = await app.Db.InTransactionAsync(
            tx => app.Queue.ClaimAsync(tx, "worker_claims", kinds, max, TimeSpan.FromMinutes(1), CancellationToken.None), CancellationToken.None);
        return [.. leased.Select(j => j.Id)];
    }
}
