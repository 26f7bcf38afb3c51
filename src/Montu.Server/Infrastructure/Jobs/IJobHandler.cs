namespace Montu.Server.Infrastructure.Jobs;

/// <summary>
/// Runs the jobs of one kind inside the server (registered as a singleton <see cref="IJobHandler"/>).
/// A job may run more than once (its worker can die after the work but before reporting it), so
/// a handler makes its work safe to repeat.
/// </summary>
public interface IJobHandler
{
    /// <summary>The kind of job it runs, such as <c>media_probe</c>: one handler per kind.</summary>
    string Kind { get; }

    /// <summary>How many jobs of this kind one server instance runs at a time.</summary>
    int Concurrency { get; }

    /// <summary>How long one attempt may run before it is cancelled and counted as failed.</summary>
    TimeSpan Timeout { get; }

    /// <summary>
    /// Does the work. Returning completes the job. Throwing <see cref="JobFailedException"/> fails the
    /// attempt with its message (retried when it says so); any other exception fails the job. The token
    /// is cancelled on timeout, when the lease is lost, and when the server stops: end promptly then.
    /// </summary>
    Task RunAsync(LeasedJob job, CancellationToken ct);
}
