namespace Montu.Server.Infrastructure.Jobs;

/// <summary>
/// A handler's way to fail an attempt with a message fit for the job's <c>error</c>. A retryable
/// failure (a busy service, a file not there yet) is tried again after a backoff while attempts
/// remain; any other fails the job at once.
/// </summary>
public sealed class JobFailedException(string message, bool retryable) : Exception(message)
{
    public bool Retryable { get; } = retryable;
}
