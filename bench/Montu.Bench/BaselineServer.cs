using System.Text.Json;

namespace Montu.Bench;

/// <summary>One captured answer: what the real server returned for a request.</summary>
public sealed record CapturedResponse(string Method, string PathAndQuery, int Status, string ContentType, string BodyFile);

/// <summary>
/// The baseline: a bare ASP.NET Core app with Montu's Kestrel settings that replays, for each
/// scenario's request, the exact bytes the real endpoint returned. It measures what the web
/// server alone costs on this machine, so Montu's figures can be read as ratios.
/// </summary>
public static class BaselineServer
{
    public static async Task RunAsync(string manifestPath)
    {
        var captured = JsonSerializer.Deserialize<List<CapturedResponse>>(await File.ReadAllTextAsync(manifestPath))!;
        var answers = captured.ToDictionary(c => Key(c.Method, c.PathAndQuery), c => (c, File.ReadAllBytes(c.BodyFile)));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.WebHost.UseUrls($"http://{Environment.GetEnvironmentVariable("API_HOST")}:{Environment.GetEnvironmentVariable("API_PORT")}");
        var app = builder.Build();
        app.Run(async context =>
        {
            var request = context.Request;
            if (request.Path == "/health")
            {
                await context.Response.WriteAsync("ok");
                return;
            }

            // A scenario that varies its last path segment has "*" there.
            var path = request.Path.Value!;
            if (!answers.TryGetValue(Key(request.Method, path + request.QueryString), out var answer)
                && !answers.TryGetValue(Key(request.Method, path[..(path.LastIndexOf('/') + 1)] + "*"), out answer))
            {
                context.Response.StatusCode = 404;
                return;
            }

            context.Response.StatusCode = answer.c.Status;
            context.Response.ContentType = answer.c.ContentType;
            context.Response.ContentLength = answer.Item2.Length;
            await context.Response.Body.WriteAsync(answer.Item2);
        });
        await app.RunAsync();
    }

    private static string Key(string method, string pathAndQuery) => method + " " + pathAndQuery;
}
