using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Montu.Server.Data;

namespace Montu.Server.Infrastructure;

public static class Hosting
{
    /// <summary>
    /// Honours <c>API_HOST</c>/<c>API_PORT</c> (default <c>0.0.0.0:8080</c>; <c>localhost</c> when
    /// <paramref name="loopbackByDefault"/>) unless ASP.NET's own URL settings are given.
    /// </summary>
    public static void AddMontuHosting(this WebApplicationBuilder builder, bool loopbackByDefault)
    {
        var configured = builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"] ?? builder.Configuration["HTTP_PORTS"];
        if (configured is null)
        {
            var host = builder.Configuration["API_HOST"] ?? (loopbackByDefault ? "localhost" : "0.0.0.0");
            var port = builder.Configuration["API_PORT"] ?? "8080";
            builder.WebHost.UseUrls($"http://{host}:{port}");
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = InputLimits.JsonBodyBytes;
        });
    }

    /// <summary>Once listening, says where the API, its documentation and the data are, so a first run needs no guessing.</summary>
    public static void LogWhereToFindIt(this WebApplication app) => app.Lifetime.ApplicationStarted.Register(() =>
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Hosting));
        var database = app.Services.GetRequiredService<Db>().Settings;
        logger.LogInformation("Montu {Version}: data directory {DataDirectory}, database {Database} ({Engine})",
            BuildInfo.Version, DataDirectory.From(app.Configuration), database.Display, database.Engine);
        foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            // An address on every interface is reached from this machine as localhost.
            var local = address.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal);
            logger.LogInformation("API at {Api}/api/v1, documentation at {Docs}/docs", local, local);
        }
    });
}
