namespace Montu.Server.Infrastructure.Jobs;

/// <summary>
/// A job to enqueue: its kind says which handler runs it, its params what to run it on (stored as
/// JSON, camelCase, and handed to the handler as <see cref="LeasedJob.Params"/>; none is <c>{}</c>).
/// </summary>
public sealed record NewJob(string Kind, object? Params = null)
{
    public string? ProjectId { get; init; }

    public string? TaskId { get; init; }

    /// <summary>Higher runs first.</summary>
    public int Priority { get; init; } = 50;

    /// <summary>Attempts before the job fails for good; attempts end by a retryable failure, a timeout or a lost worker.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The job waits in the queue until then.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    public string? BatchId { get; init; }

    public string? CreatedBy { get; init; }
}
