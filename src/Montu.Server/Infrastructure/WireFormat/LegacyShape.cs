namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// The v2.0 wire shape for existing integrations: chosen per request by the
/// <c>Montu-Version: 2.0</c> header or <c>api_version=2.0</c> query, announced as deprecated.
/// </summary>
public static class LegacyShape
{
    public const string VersionHeader = "Montu-Version";
    public const string QueryParameter = "api_version";
    private const string LegacyVersion = "2.0";
    private static readonly object Marker = new();

    public static bool IsRequested(HttpContext context) => context.Items.ContainsKey(Marker);

    /// <summary>Marks legacy requests and adds <c>Deprecation</c> and <c>Sunset</c> to their responses.</summary>
    public static void UseLegacyShape(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LegacyShapeOptions>>().Value;
        var deprecation = "@" + new DateTimeOffset(options.DeprecatedOn, TimeSpan.Zero).ToUnixTimeSeconds();
        var sunset = new DateTimeOffset(options.SunsetOn, TimeSpan.Zero).ToString("R");
        app.Use((context, next) =>
        {
            if (context.Request.Headers[VersionHeader] == LegacyVersion || context.Request.Query[QueryParameter] == LegacyVersion)
            {
                context.Items[Marker] = true;
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers["Deprecation"] = deprecation;
                    context.Response.Headers["Sunset"] = sunset;
                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
    }
}

/// <summary>Configuration section <c>LegacyShape</c>: when v2.0 was deprecated and when it goes away.</summary>
public sealed class LegacyShapeOptions
{
    public DateTime DeprecatedOn { get; set; } = new(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc);

    public DateTime SunsetOn { get; set; } = new(2027, 5, 21, 0, 0, 0, DateTimeKind.Utc);
}
