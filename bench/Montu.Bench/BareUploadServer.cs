using System.Globalization;

namespace Montu.Bench;

/// <summary>
/// The upload baseline: a bare ASP.NET Core app with Montu's Kestrel settings that writes each
/// request body, whole, to a new file of <c>directory</c> as Montu's local store writes an upload
/// (the same <see cref="FileStream"/> settings, flushed to disk before answering). No multipart
/// parsing, hashing, sniffing or database: what receiving and storing the bytes alone costs here.
/// </summary>
public static class BareUploadServer
{
    public static async Task RunAsync(string directory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
        });
        builder.WebHost.UseUrls($"http://{Environment.GetEnvironmentVariable("API_HOST")}:{Environment.GetEnvironmentVariable("API_PORT")}");
        var app = builder.Build();
        var stored = 0;
        app.Run(async context =>
        {
            if (context.Request.Path == "/health")
            {
                await context.Response.WriteAsync("ok");
                return;
            }

            var path = Path.Combine(directory, $"body-{Interlocked.Increment(ref stored)}");
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await context.Request.Body.CopyToAsync(file, context.RequestAborted);
                await file.FlushAsync(context.RequestAborted);
                file.Flush(flushToDisk: true);
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            await context.Response.WriteAsync(new FileInfo(path).Length.ToString(CultureInfo.InvariantCulture));
            File.Delete(path);
        });
        await app.RunAsync();
    }
}
