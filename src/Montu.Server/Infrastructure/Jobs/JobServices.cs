using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Montu.Server.Infrastructure.Jobs;

public static class JobServices
{
    /// <summary>
    /// The job queue and this instance's workers. A feature adds a kind of background work by
    /// registering its handler: <c>services.AddSingleton&lt;IJobHandler, MediaProbe&gt;()</c>.
    /// </summary>
    public static IServiceCollection AddMontuJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<IdGenerator>();
        services.AddOptions<JobOptions>()
            .Bind(configuration.GetSection(JobOptions.Section))
            // A poll interval past a day would not fit the wait's timer.
            .Validate(o => o.PollSeconds is > 0 and <= 86_400 && o.LeaseSeconds > 0, "Jobs:PollSeconds must be between 0 and 86400, Jobs:LeaseSeconds above 0")
            .ValidateOnStart();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<JobQueue>();
        services.AddHostedService<JobWorkers>();
        return services;
    }
}
