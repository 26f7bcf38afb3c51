using Montu.Server.Features.Uploads;

namespace Montu.Server.Infrastructure;

/// <summary>
/// CORS from <c>CORS_ORIGINS</c> (comma-separated origins, or <c>*</c>). Without it, browsers
/// may call the API only from the same origin. Tokens travel in the Authorization header, never
/// in cookies, so credentials are not enabled.
/// </summary>
public static class CrossOrigin
{
    private static readonly string[] ExposedHeaders =
        [RequestIds.Header, "Location", "ETag", "Retry-After", "RateLimit", "RateLimit-Policy", "Deprecation", "Sunset", .. TusProtocol.ExposedHeaders];

    public static IReadOnlyList<string> Origins(IConfiguration configuration) =>
        (configuration["CORS_ORIGINS"] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static void AddMontuCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = Origins(configuration);
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (origins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins([.. origins]);
            }

            policy.AllowAnyHeader().AllowAnyMethod().WithExposedHeaders(ExposedHeaders).SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
    }

    /// <summary>Adds the CORS middleware only when origins are configured: the default is same-origin only.</summary>
    public static void UseMontuCors(this WebApplication app)
    {
        if (Origins(app.Configuration).Count > 0)
        {
            app.UseCors();
        }
    }
}
