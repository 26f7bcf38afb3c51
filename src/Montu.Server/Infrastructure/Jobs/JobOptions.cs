namespace Montu.Server.Infrastructure.Jobs;

/// <summary>Configuration section <c>Jobs</c>.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// How often idle workers look for jobs. A job enqueued in this instance wakes them at once;
    /// this bounds how late they notice one enqueued by another instance, a retry coming due, or
    /// a lease that ran out.
    /// </summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>How long a claimed job stays its worker's without a renewal; running jobs renew every third of it.</summary>
    public double LeaseSeconds { get; set; } = 60;

    public TimeSpan PollInterval => TimeSpan.FromSeconds(PollSeconds);

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}
