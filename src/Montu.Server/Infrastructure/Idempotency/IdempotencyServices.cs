using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Infrastructure.Idempotency;

public static class IdempotencyServices
{
    public static IServiceCollection AddMontuIdempotency(this IServiceCollection services) => services
        .AddSingleton<IdempotencyKeys>()
        .AddSingleton<IdempotentRequests>()
        .AddSingleton<IdempotencySweep>()
        .AddSingleton<IJobHandler>(sp => sp.GetRequiredService<IdempotencySweep>());

    /// <summary>After access control: a key is looked at only for a request the caller may make.</summary>
    public static void UseIdempotencyKeys(this WebApplication app)
    {
        var requests = app.Services.GetRequiredService<IdempotentRequests>();
        app.Use(requests.HandleAsync);
    }
}
