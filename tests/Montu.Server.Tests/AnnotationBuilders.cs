using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests;

/// <summary>
/// Media to annotate, made by ffmpeg in the test at an exact rate and frame count, and the
/// bodies and calls of the annotations routes.
/// </summary>
public static class AnnotationBuilders
{
    /// <summary>Frames of every clip <see cref="Clip"/> makes.</summary>
    public const int ClipFrames = 10;

    private static readonly ConcurrentDictionary<string, Lazy<byte[]>> Clips = new(StringComparer.Ordinal);

    /// <summary>A 64 × 36 H.264 clip of <see cref="ClipFrames"/> frames at <paramref name="rate"/> (25, 24, 24000/1001), starting at timecode 01:00:00:00.</summary>
    public static byte[] Clip(string rate) => Clips.GetOrAdd(rate, r => new Lazy<byte[]>(() => MakeClip(r))).Value;

    /// <summary>Uploads a clip at <paramref name="rate"/> as a version of a new task of <paramref name="projectId"/>, processed.</summary>
    public static async Task<JsonElement> UploadClipAsync(this HttpClient admin, string projectId, string rate)
    {
        var task = await admin.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_{Guid.NewGuid().ToString("N")[..12]}"));
        var media = await (await admin.PostMedia("clip.mov", Clip(rate), ("task_id", task.Str("id")))).Expect(HttpStatusCode.Created);
        var processed = await admin.UntilProcessedAsync(media.Str("id"));
        Assert.Equal("ready", processed.GetProperty("processing").Str("status"));
        return processed;
    }

    /// <summary>Uploads <paramref name="bytes"/> as <paramref name="fileName"/> to a new task of <paramref name="projectId"/>, processed.</summary>
    public static async Task<JsonElement> UploadFileAsync(this HttpClient admin, string projectId, string fileName, byte[] bytes)
    {
        var task = await admin.CreateTask(TaskBuilders.NamedTask(projectId, $"{projectId}_{Guid.NewGuid().ToString("N")[..12]}"));
        var media = await (await admin.PostMedia(fileName, bytes, ("task_id", task.Str("id")))).Expect(HttpStatusCode.Created);
        return await admin.UntilProcessedAsync(media.Str("id"));
    }

    public static Task<HttpResponseMessage> PostAnnotation(this HttpClient client, object body) => client.PostJson("/api/v1/annotations", body);

    public static async Task<JsonElement> Annotate(this HttpClient client, object body) =>
        await (await client.PostAnnotation(body)).Expect(HttpStatusCode.Created);

    public static async Task<JsonElement> GetAnnotation(this HttpClient client, string id) =>
        await (await client.GetAsync($"/api/v1/annotations/{id}")).Expect(HttpStatusCode.OK);

    public static async Task<JsonElement> ListAnnotations(this HttpClient client, string query) =>
        await (await client.GetAsync($"/api/v1/annotations?{query}")).Expect(HttpStatusCode.OK);

    public static async Task<List<string>> AnnotationIds(this HttpClient client, string query) => (await client.ListAnnotations(query)).Ids();

    /// <summary>A drawing of <paramref name="shapes"/> strokes of <paramref name="points"/> points each.</summary>
    public static object Strokes(int shapes, int points) => new
    {
        shapes = Enumerable.Range(0, shapes).Select(_ => new
        {
            type = "stroke",
            points = Enumerable.Range(0, points).Select(i => new[] { (i % 100) / 100.0, 0.5 }).ToArray(),
            color = "#ff3b30",
            width = 3,
        }).ToArray(),
    };

    private static byte[] MakeClip(string rate)
    {
        var path = Path.Combine(Path.GetTempPath(), $"montu-annotation-clip-{Guid.NewGuid():N}.mov");
        try
        {
            var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[]
            {
                "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", $"testsrc2=s=64x36:r={rate}", "-frames:v", $"{ClipFrames}",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-timecode", "01:00:00:00", path,
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var said = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"ffmpeg failed: {said.Result}");
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
