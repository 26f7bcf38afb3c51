namespace Montu.Server.Infrastructure;

public static class Hosting
{
    /// <summary>
    /// Honours the spec's <c>API_HOST</c>/<c>API_PORT</c> (default <c>0.0.0.0:8080</c>) unless
    /// ASP.NET's own URL settings are given.
    /// </summary>
    public static void AddMontuHosting(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"] ?? builder.Configuration["HTTP_PORTS"];
        if (configured is null)
        {
            var host = builder.Configuration["API_HOST"] ?? "0.0.0.0";
            var port = builder.Configuration["API_PORT"] ?? "8080";
            builder.WebHost.UseUrls($"http://{host}:{port}");
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = InputLimits.JsonBodyBytes;
        });
    }
}
