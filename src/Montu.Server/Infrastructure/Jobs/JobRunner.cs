using System.Data.Common;
using Montu.Server.Data;
using Montu.Server.Features.Observability;

namespace Montu.Server.Infrastructure.Jobs;

/// <summary>
/// Runs one attempt at a leased job: marks it running, runs its handler under the handler's
/// timeout while renewing the lease every third of its length, and records how the attempt ended.
/// </summary>
internal sealed partial class JobRunner(Db db, JobQueue queue, TimeProvider time, TimeSpan lease, MontuMetrics metrics, ILogger logger)
{
    private enum Ending
    {
        Completed,
        Failed,
        HandedBack,
        LeaseLost,
    }

    /// <summary>Runs the attempt; <paramref name="stopping"/> cancels it and hands the job back to the queue.</summary>
    public async Task RunAsync(IJobHandler handler, LeasedJob job, CancellationToken stopping)
    {
        if (!await InTransactionAsync(tx => queue.RenewAsync(tx, job, lease, CancellationToken.None)))
        {
            LogLeaseLost(logger, job.Id, job.Kind);
            return;
        }

        var started = time.GetTimestamp();
        var (ending, error, retryable) = await RunHandlerAsync(handler, job, stopping);
        metrics.RecordJob(job.Kind, ending switch
        {
            Ending.Completed => "completed",
            Ending.Failed => "failed",
            Ending.HandedBack => "handed_back",
            _ => "lease_lost",
        }, time.GetElapsedTime(started));
        switch (ending)
        {
            case Ending.Completed:
                if (await InTransactionAsync(tx => queue.CompleteAsync(tx, job, CancellationToken.None)))
                {
                    LogCompleted(logger, job.Id, job.Kind);
                    return;
                }

                break;
            case Ending.Failed:
                if (await InTransactionAsync(tx => queue.FailAsync(tx, job, error!, retryable, CancellationToken.None)) is { } status)
                {
                    LogFailed(logger, job.Id, job.Kind, job.Attempts + 1, job.MaxAttempts, error!, status);
                    return;
                }

                break;
            case Ending.HandedBack:
                if (await InTransactionAsync(tx => queue.ReleaseAsync(tx, job, CancellationToken.None)))
                {
                    LogHandedBack(logger, job.Id, job.Kind);
                    return;
                }

                break;
        }

        LogLeaseLost(logger, job.Id, job.Kind);
    }

    private async Task<(Ending, string?, bool Retryable)> RunHandlerAsync(IJobHandler handler, LeasedJob job, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(handler.Timeout, time);
        using var leaseLost = new CancellationTokenSource();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, leaseLost.Token, stopping);
        var keeping = KeepLeaseAsync(job, leaseLost, attempt.Token);
        try
        {
            await handler.RunAsync(job, attempt.Token);
            return (Ending.Completed, null, false);
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            return (Ending.LeaseLost, null, false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (Ending.Failed, $"timed out after {handler.Timeout.TotalSeconds:0.###} s", true);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return (Ending.HandedBack, null, false);
        }
        catch (JobFailedException e)
        {
            return (Ending.Failed, e.Message, e.Retryable);
        }
        catch (Exception e)
        {
            LogHandlerThrew(logger, job.Id, job.Kind, e);
            return (Ending.Failed, e.Message, false);
        }
        finally
        {
            await attempt.CancelAsync();
            await keeping;
        }
    }

    /// <summary>Renews the lease until the attempt ends, and cancels the attempt once the lease is lost (taken back, or the job cancelled).</summary>
    private async Task KeepLeaseAsync(LeasedJob job, CancellationTokenSource leaseLost, CancellationToken attempt)
    {
        while (true)
        {
            await Task.Delay(lease / 3, time, attempt).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (attempt.IsCancellationRequested)
            {
                return;
            }

            try
            {
                if (!await InTransactionAsync(tx => queue.RenewAsync(tx, job, lease, CancellationToken.None)))
                {
                    await leaseLost.CancelAsync();
                    return;
                }
            }
            catch (Exception e)
            {
                // Tried again at the next renewal; the lease may run out meanwhile, and then the job is taken back.
                LogRenewalFailed(logger, job.Id, job.Kind, e);
            }
        }
    }

    private Task<T> InTransactionAsync<T>(Func<DbTransaction, Task<T>> work) => db.InTransactionAsync(work, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} ({Kind}) completed")]
    private static partial void LogCompleted(ILogger logger, string jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) failed attempt {Attempt} of {MaxAttempts}: {Error}; the job is {Status}")]
    private static partial void LogFailed(ILogger logger, string jobId, string kind, int attempt, int maxAttempts, string error, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Kind}): the handler threw")]
    private static partial void LogHandlerThrew(ILogger logger, string jobId, string kind, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) handed back to the queue: the server is stopping")]
    private static partial void LogHandedBack(ILogger logger, string jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) is no longer this worker's (its lease ran out, or it was cancelled): its end is not recorded")]
    private static partial void LogLeaseLost(ILogger logger, string jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}): could not renew its lease")]
    private static partial void LogRenewalFailed(ILogger logger, string jobId, string kind, Exception e);
}
