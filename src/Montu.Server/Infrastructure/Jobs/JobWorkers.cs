using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Montu.Server.Data;
using Montu.Server.Features.Observability;

namespace Montu.Server.Infrastructure.Jobs;

/// <summary>
/// This instance's workers: they claim queued jobs of the kinds an <see cref="IJobHandler"/>
/// runs while the kind has a free slot, run each under its handler's timeout while renewing its
/// lease (<see cref="JobRunner"/>), and record how it ended. They look for work when woken
/// (<see cref="JobSignal"/>) and every <see cref="JobOptions.PollSeconds"/>, which is how they hear
/// of jobs enqueued by other instances, retries coming due and leases that ran out. On stop,
/// running jobs may finish until the host's shutdown timeout; then they are cancelled and
/// handed back to the queue.
/// </summary>
public sealed partial class JobWorkers : BackgroundService
{
    private readonly Db _db;
    private readonly JobQueue _queue;
    private readonly JobSignal _signal;
    private readonly JobRunner _runner;
    private readonly JobOptions _options;
    private readonly ILogger<JobWorkers> _logger;
    private readonly Dictionary<string, Slots> _kinds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _stopping = new();

    public JobWorkers(
        IEnumerable<IJobHandler> handlers, Db db, JobQueue queue, JobSignal signal, IdGenerator ids, TimeProvider time,
        IOptions<JobOptions> options, MontuMetrics metrics, ILogger<JobWorkers> logger)
    {
        foreach (var handler in handlers)
        {
            if (handler.Concurrency < 1 || handler.Timeout <= TimeSpan.Zero)
            {
                throw new InvalidOperationException($"The job handler of {handler.Kind} needs a concurrency of at least 1 and a positive timeout");
            }

            if (!_kinds.TryAdd(handler.Kind, new Slots(handler)))
            {
                throw new InvalidOperationException($"Two job handlers run {handler.Kind}: each kind has one");
            }
        }

        _db = db;
        _queue = queue;
        _signal = signal;
        _options = options.Value;
        _runner = new JobRunner(db, queue, time, _options.Lease, metrics, logger);
        _logger = logger;
        WorkerId = ids.NewId("instance");
    }

    /// <summary>The worker id this instance leases jobs under.</summary>
    public string WorkerId { get; }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var running = _running.Keys.ToArray();
        try
        {
            await Task.WhenAll(running).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogHandingBack(_logger, running.Count(t => !t.IsCompleted));
            await _stopping.CancelAsync();
            await Task.WhenAll(running);
        }
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_kinds.Count == 0)
        {
            return;
        }

        LogStarted(_logger, WorkerId, string.Join(", ", _kinds.Keys));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ClaimAsync();
            }
            catch (Exception e)
            {
                LogClaimFailed(_logger, _options.PollSeconds, e);
            }

            await _signal.WaitAsync(_options.PollInterval, stoppingToken);
        }
    }

    private async Task ClaimAsync()
    {
        var wanted = _kinds.Values.Where(k => k.Free > 0).Select(k => (k.Handler.Kind, k.Free)).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        // Not cancelled by stopping: a claim cut off after its commit would leave jobs leased to no one until the lease ran out.
        var claimed = await _db.InTransactionAsync(async tx =>
        {
            await _queue.RequeueExpiredAsync(tx, CancellationToken.None);
            var jobs = new List<LeasedJob>();
            foreach (var (kind, free) in wanted)
            {
                jobs.AddRange(await _queue.ClaimAsync(tx, WorkerId, [kind], free, _options.Lease, CancellationToken.None));
            }

            return jobs;
        }, CancellationToken.None);

        foreach (var job in claimed)
        {
            var slots = _kinds[job.Kind];
            slots.Take();
            var run = RunAsync(slots.Handler, job);
            _running.TryAdd(run, 0);
            _ = run.ContinueWith(r => _running.TryRemove(r, out _), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private async Task RunAsync(IJobHandler handler, LeasedJob job)
    {
        // Off the claiming loop at once: a handler may do slow work before its first await.
        await Task.Yield();
        try
        {
            await _runner.RunAsync(handler, job, _stopping.Token);
        }
        catch (Exception e)
        {
            // The database failed while recording: the lease runs out and the job is tried again.
            LogNotRecorded(_logger, job.Id, job.Kind, e);
        }
        finally
        {
            _kinds[job.Kind].Return();
            _signal.Wake();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job workers {WorkerId} run {Kinds}")]
    private static partial void LogStarted(ILogger logger, string workerId, string kinds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not claim jobs (trying again within {Seconds} s)")]
    private static partial void LogClaimFailed(ILogger logger, double seconds, Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Kind}): its end could not be recorded; it runs again once its lease runs out")]
    private static partial void LogNotRecorded(ILogger logger, string jobId, string kind, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: {Count} running job(s) did not finish in time; cancelling them and handing them back to the queue")]
    private static partial void LogHandingBack(ILogger logger, int count);

    /// <summary>How many jobs of one kind run now, against the handler's concurrency.</summary>
    private sealed class Slots(IJobHandler handler)
    {
        private int _running;

        public IJobHandler Handler => handler;

        public int Free => handler.Concurrency - Volatile.Read(ref _running);

        public void Take() => Interlocked.Increment(ref _running);

        public void Return() => Interlocked.Decrement(ref _running);
    }
}
