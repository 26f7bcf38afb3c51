using System.Diagnostics;
using Dapper;
using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Tests.Infrastructure.Jobs;

/// <summary>What the server's own workers do with the jobs they claim, whichever engine keeps the queue.</summary>
public sealed class JobWorkerTests(JobsApp app) : IClassFixture<JobsApp>
{
    private static readonly TimeSpan Precision = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task A_job_enqueued_in_a_transaction_that_rolls_back_never_runs()
    {
        string? rolledBack = null;
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => app.Db.InTransactionAsync<string>(async tx =>
        {
            rolledBack = await app.Queue.EnqueueAsync(tx, new NewJob(TestJobs.Tally), CancellationToken.None);
            throw new InvalidOperationException("the change that asked for the job failed");
        }, CancellationToken.None));

        await app.LetWorkersLookAsync();

        Assert.Equal("the change that asked for the job failed", failed.Message);
        Assert.NotNull(rolledBack);
        Assert.Null(await app.JobAsync(rolledBack));
        Assert.Equal(0, app.Runs.Count(rolledBack));
    }

    [Fact]
    public async Task A_committed_job_runs_once_with_its_params_and_is_completed()
    {
        var id = await app.EnqueueAsync(new NewJob(TestJobs.Tally, new { shotId = "ep01_sh010", frames = 48 }));

        var job = await app.WaitForAsync(id, j => j.Status == "completed");
        await app.LetWorkersLookAsync();

        Assert.Equal("completed", job.Status);
        Assert.Equal(0, job.Attempts);
        Assert.Null(job.Error);
        Assert.Equal(app.WorkerId, job.WorkerId);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, job.StartedAt!.Value, Precision);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, job.FinishedAt!.Value, Precision);
        var run = Assert.Single(app.Runs.Started, r => r.Id == id);
        Assert.Equal("ep01_sh010", run.Params.GetProperty("shotId").GetString());
        Assert.Equal(48, run.Params.GetProperty("frames").GetInt32());
    }

    [Fact]
    public async Task No_more_jobs_of_a_kind_run_at_once_than_its_handler_allows()
    {
        var ids = await app.Db.InTransactionAsync(async tx =>
        {
            var enqueued = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                enqueued.Add(await app.Queue.EnqueueAsync(tx, new NewJob(TestJobs.Capped), CancellationToken.None));
            }

            return enqueued;
        }, CancellationToken.None);

        await Until(() => app.Runs.Running(TestJobs.Capped) == 2);
        await app.LetWorkersLookAsync();
        var statuses = await Task.WhenAll(ids.Select(async id => (await app.JobAsync(id))!.Status));
        Assert.Equal(2, app.Runs.Running(TestJobs.Capped));
        Assert.Equal(["queued", "queued", "queued", "running", "running"], statuses.Order());

        ids.ForEach(app.Runs.Open);
        foreach (var id in ids)
        {
            Assert.Equal("completed", (await app.WaitForAsync(id, j => j.Status == "completed")).Status);
            Assert.Equal(1, app.Runs.Count(id));
        }

        Assert.Equal(2, app.Runs.MostAtOnce(TestJobs.Capped));
    }

    [Fact]
    public async Task A_job_that_times_out_is_retried_after_a_backoff_and_fails_at_its_last_attempt()
    {
        var id = await app.EnqueueAsync(new NewJob(TestJobs.Stuck) { MaxAttempts = 2 });

        var first = await app.WaitForAsync(id, j => j.Attempts == 1);
        Assert.Equal("queued", first.Status);
        Assert.Equal("timed out after 0.1 s", first.Error);
        Assert.Null(first.WorkerId);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(10), first.NotBefore!.Value, Precision);

        app.Clock.Advance(TimeSpan.FromSeconds(10));
        app.Wake();
        var last = await app.WaitForAsync(id, j => j.Status == "failed");

        Assert.Equal("failed", last.Status);
        Assert.Equal(2, last.Attempts);
        Assert.Equal("timed out after 0.1 s", last.Error);
        Assert.NotNull(last.FinishedAt);
        Assert.Equal(2, app.Runs.Count(id));
    }

    [Fact]
    public async Task A_retryable_failure_waits_twice_as_long_each_time_and_fails_at_max_attempts_with_its_error()
    {
        var id = await app.EnqueueAsync(new NewJob(TestJobs.Flaky) { MaxAttempts = 3 });

        var first = await app.WaitForAsync(id, j => j.Attempts == 1);
        Assert.Equal("queued", first.Status);
        Assert.Equal("render node busy", first.Error);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(10), first.NotBefore!.Value, Precision);

        app.Clock.Advance(TimeSpan.FromSeconds(9));
        await app.LetWorkersLookAsync();
        Assert.Equal(1, app.Runs.Count(id));

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        app.Wake();
        var second = await app.WaitForAsync(id, j => j.Attempts == 2);
        Assert.Equal("queued", second.Status);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(20), second.NotBefore!.Value, Precision);

        app.Clock.Advance(TimeSpan.FromSeconds(20));
        app.Wake();
        var last = await app.WaitForAsync(id, j => j.Status == "failed");

        Assert.Equal("failed", last.Status);
        Assert.Equal(3, last.Attempts);
        Assert.Equal("render node busy", last.Error);
        Assert.Equal(3, app.Runs.Count(id));
    }

    [Fact]
    public async Task A_handler_exception_not_marked_retryable_fails_the_job_at_once_and_is_logged()
    {
        var id = await app.EnqueueAsync(new NewJob(TestJobs.Broken) { MaxAttempts = 3 });

        var job = await app.WaitForAsync(id, j => j.Status == "failed");

        Assert.Equal("failed", job.Status);
        Assert.Equal(1, job.Attempts);
        Assert.Equal("no codec for this file", job.Error);
        Assert.Equal(1, app.Runs.Count(id));
        Assert.Contains(app.Logs.Lines, l => l.Text.Contains($"Job {id} ({TestJobs.Broken}): the handler threw", StringComparison.Ordinal)
            && l.Text.Contains("no codec for this file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_running_job_renews_its_lease_and_is_not_taken_back_when_the_first_lease_would_have_run_out()
    {
        var id = await app.EnqueueAsync(new NewJob(TestJobs.Held));
        var started = await app.WaitForAsync(id, j => j.Status == "running");
        var firstLease = started.LeaseExpiresAt!.Value;

        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var renewed = await app.WaitForAsync(id, j => j.LeaseExpiresAt > firstLease);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(3), renewed.LeaseExpiresAt!.Value, Precision);
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        await app.LetWorkersLookAsync();

        var stillRunning = (await app.JobAsync(id))!;
        Assert.Equal("running", stillRunning.Status);
        Assert.Equal(0, stillRunning.Attempts);
        Assert.Equal(app.WorkerId, stillRunning.WorkerId);
        app.Runs.Open(id);
        Assert.Equal("completed", (await app.WaitForAsync(id, j => j.Status == "completed")).Status);
        Assert.Equal(1, app.Runs.Count(id));
    }

    [Fact]
    public async Task A_running_job_cancelled_elsewhere_has_its_handler_cancelled_at_the_next_renewal_and_stays_cancelled()
    {
        var id = await app.EnqueueAsync(new NewJob(TestJobs.Held));
        Assert.Equal("running", (await app.WaitForAsync(id, j => j.Status == "running")).Status);

        // What cancelling a job through the API will do: the row changes, the worker is not told.
        await using (var connection = await app.Db.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE jobs SET status = 'cancelled' WHERE id = @id", new { id });
        }

        Assert.Equal("cancelled", await app.Runs.EndingAsync(id));
        await Until(() => app.Logs.Lines.Any(l => l.Text.Contains($"Job {id} ({TestJobs.Held}) is no longer this worker's", StringComparison.Ordinal)));
        var job = (await app.JobAsync(id))!;
        Assert.Equal("cancelled", job.Status);
        Assert.Equal(0, job.Attempts);
        Assert.Null(job.Error);
        Assert.Contains(app.Logs.Lines, l => l.Text.Contains($"Job {id} ({TestJobs.Held}) is no longer this worker's", StringComparison.Ordinal));
    }

    private static async Task Until(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }
    }
}
