using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Infrastructure.Storage;
using SkiaSharp;

namespace Montu.Server.Tests.Features.Annotations;

/// <summary>
/// <c>GET /annotations/{id}/image</c> on media made by ffmpeg: the frame route's frame with the drawing
/// burned in, read back pixel by pixel; its ETag, and the notes that have no picture to draw on.
/// </summary>
public sealed class AnnotationImageTests(TestApp app) : IClassFixture<TestApp>
{
    private static readonly double[][] CentreBox = [[0.25, 0.25], [0.75, 0.75]];

    private readonly HttpClient _admin = app.Client;

    /// <summary>A red line 24 reference pixels wide across the middle row: 4 pixels on the 320 × 180 clip, rows 88 to 91.</summary>
    private static object MiddleStroke(double y = 0.5) => new
    {
        shapes = new[] { new { type = "stroke", points = new[] { new[] { 0.0, y }, new[] { 1.0, y } }, color = "#ff0000", width = 24 } },
    };

    private async Task<(string Project, string MediaId)> ClipAsync()
    {
        var project = await _admin.CreateProject();
        var media = await _admin.UploadFileAsync(project, "comp_v001.mov", MediaFiles.Clip);
        Assert.Equal("ready", media.GetProperty("processing").Str("status"));
        return (project, media.Str("id"));
    }

    private async Task<(HttpResponseMessage Response, SKBitmap Picture)> ImageAsync(string annotationId)
    {
        var response = await _admin.GetAsync($"/api/v1/annotations/{annotationId}/image");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        return (response, Decode(await response.Content.ReadAsByteArrayAsync()));
    }

    private async Task<SKBitmap> FrameAsync(string mediaId, int frame) =>
        Decode(await (await _admin.GetAsync($"/api/v1/media/{mediaId}/frames/{frame}")).Content.ReadAsByteArrayAsync());

    [Fact]
    public async Task A_stroke_across_the_middle_is_burned_in_red_on_the_note_s_frame_of_the_video()
    {
        var (_, mediaId) = await ClipAsync();
        var note = await _admin.Annotate(new { mediaId, content = "horizon", frameNumber = 30, drawing = MiddleStroke() });

        var (response, image) = await ImageAsync(note.Str("id"));

        Assert.Equal((320, 180), (image.Width, image.Height));
        foreach (var (x, y) in new[] { (5, 89), (160, 88), (160, 91), (314, 90) })
        {
            Assert.True(RedDish(image.GetPixel(x, y)), $"({x}, {y}) is {image.GetPixel(x, y)}, not on the red stroke");
        }

        Assert.False(RedDish(image.GetPixel(160, 20)), $"(160, 20) is {image.GetPixel(160, 20)}, far from the stroke");
        Assert.Equal("private", response.Headers.CacheControl?.ToString());
        Assert.Equal($"\"{mediaId}-r1\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Away_from_the_drawing_the_image_is_the_note_s_exact_frame_and_not_another()
    {
        var (_, mediaId) = await ClipAsync();
        var note = await _admin.Annotate(new { mediaId, content = "too dark", frameNumber = 30, drawing = MiddleStroke() });

        var (_, image) = await ImageAsync(note.Str("id"));
        var (same, other) = (await FrameAsync(mediaId, 30), await FrameAsync(mediaId, 10));

        // Frame n of the clip is a flat grey of luma 5n: frame 30 is 150, frame 10 is 50.
        foreach (var (x, y) in new[] { (10, 10), (160, 40), (300, 150), (40, 170) })
        {
            Assert.True(Near(image.GetPixel(x, y), same.GetPixel(x, y), 8), $"({x}, {y}): image {image.GetPixel(x, y)}, frame 30 {same.GetPixel(x, y)}");
            Assert.False(Near(image.GetPixel(x, y), other.GetPixel(x, y), 60), $"({x}, {y}): image {image.GetPixel(x, y)}, frame 10 {other.GetPixel(x, y)}");
        }
    }

    [Fact]
    public async Task The_etag_answers_304_until_a_change_to_the_drawing_moves_it()
    {
        var (_, mediaId) = await ClipAsync();
        var id = (await _admin.Annotate(new { mediaId, content = "move it", frameNumber = 3, drawing = MiddleStroke() })).Str("id");
        var (first, _) = await ImageAsync(id);
        var tag = first.Headers.ETag!;

        var unchanged = await SendIfNoneMatchAsync(id, tag.Tag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        Assert.Equal(tag, unchanged.Headers.ETag);

        await (await _admin.PatchJson($"/api/v1/annotations/{id}", new { drawing = MiddleStroke(y: 0.1) })).Expect(HttpStatusCode.OK);

        var changed = await SendIfNoneMatchAsync(id, tag.Tag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal($"\"{mediaId}-r2\"", changed.Headers.ETag?.Tag);
        var moved = Decode(await changed.Content.ReadAsByteArrayAsync());
        Assert.True(RedDish(moved.GetPixel(160, 18)), $"the stroke moved to row 18: {moved.GetPixel(160, 18)}");
        Assert.False(RedDish(moved.GetPixel(160, 90)), $"the stroke left row 90: {moved.GetPixel(160, 90)}");
    }

    [Fact]
    public async Task A_note_without_a_frame_on_a_still_is_drawn_on_the_still()
    {
        var project = await _admin.CreateProject();
        var mediaId = (await _admin.UploadFileAsync(project, "plate.png", BluePng(64, 48))).Str("id");
        var note = await _admin.Annotate(new
        {
            mediaId,
            content = "box",
            drawing = new { shapes = new[] { new { type = "rect", points = CentreBox, color = "#ff0000", width = 90 } } },
        });

        var (_, image) = await ImageAsync(note.Str("id"));

        Assert.Equal((64, 48), (image.Width, image.Height));
        Assert.True(RedDish(image.GetPixel(16, 24)), $"the rect's left side: {image.GetPixel(16, 24)}");
        Assert.True(Near(image.GetPixel(32, 24), new SKColor(0, 0, 255), 24), $"inside the rect, the still's blue: {image.GetPixel(32, 24)}");
    }

    [Fact]
    public async Task A_note_on_a_sound_or_on_a_whole_video_has_no_image_and_says_why()
    {
        var project = await _admin.CreateProject();
        var sound = (await _admin.UploadFileAsync(project, "dialogue.wav", MediaFiles.Wav)).Str("id");
        var onSound = await _admin.Annotate(new { mediaId = sound, content = "too loud" });
        var (_, video) = await ClipAsync();
        var onVideo = await _admin.Annotate(new { mediaId = video, content = "nice overall" });

        var soundError = await (await _admin.GetAsync($"/api/v1/annotations/{onSound.Str("id")}/image")).ExpectError(HttpStatusCode.Conflict, "CONFLICT");
        var videoError = await (await _admin.GetAsync($"/api/v1/annotations/{onVideo.Str("id")}/image")).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Contains("(audio): it has no picture to draw on", soundError.Str("message"), StringComparison.Ordinal);
        Assert.Contains("not on one of its frames: it has no picture to draw on", videoError.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frame_that_does_not_decode_is_a_conflict_naming_it_not_a_server_error()
    {
        var (_, mediaId) = await ClipAsync();
        var note = await _admin.Annotate(new { mediaId, content = "here", frameNumber = 5, drawing = MiddleStroke() });
        using (var garbage = new MemoryStream("not a jpeg"u8.ToArray()))
        {
            await app.Services.GetRequiredService<IFileStore>().WriteAsync($"frames/{mediaId}/5.jpg", garbage, CancellationToken.None);
        }

        var error = await (await _admin.GetAsync($"/api/v1/annotations/{note.Str("id")}/image")).ExpectError(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Contains($"Frame 5 of media '{mediaId}' cannot be drawn on", error.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_note_and_another_project_s_note_are_not_found()
    {
        var (_, mediaId) = await ClipAsync();
        var note = await _admin.Annotate(new { mediaId, content = "secret", frameNumber = 1 });
        var stranger = await app.CreateUser(await _admin.CreateProject(), "supervisor");

        var unknown = await (await _admin.GetAsync("/api/v1/annotations/ann_nope/image")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await stranger.Client.GetAsync($"/api/v1/annotations/{note.Str("id")}/image")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Contains("ann_nope", unknown.Str("message"), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> SendIfNoneMatchAsync(string annotationId, string tag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/annotations/{annotationId}/image");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(tag));
        return _admin.SendAsync(request);
    }

    internal static SKBitmap Decode(byte[] jpeg) => SKBitmap.Decode(jpeg) ?? throw new InvalidOperationException("The answer is not a picture.");

    internal static byte[] BluePng(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(0, 0, 255));
        using var png = bitmap.PeekPixels().Encode(new SKPngEncoderOptions())!;
        return png.ToArray();
    }

    private static bool RedDish(SKColor p) => p.Red > 180 && p.Green < 90 && p.Blue < 90;

    private static bool Near(SKColor a, SKColor b, int tolerance) =>
        Math.Abs(a.Red - b.Red) <= tolerance && Math.Abs(a.Green - b.Green) <= tolerance && Math.Abs(a.Blue - b.Blue) <= tolerance;
}

/// <summary>While the media is processed its frame is being made: the image answers as the frame route does.</summary>
public sealed class AnnotationImageProcessingTests(AnnotationImageProcessingTests.SlowProbeApp app) : IClassFixture<AnnotationImageProcessingTests.SlowProbeApp>
{
    /// <summary>Processing that does not end while the test runs: an ffprobe that sleeps.</summary>
    public sealed class SlowProbeApp : TestApp
    {
        public SlowProbeApp()
        {
            var probe = Path.Combine(DataDir, "slow-ffprobe.sh");
            File.WriteAllText(probe, "#!/bin/sh\nexec sleep 60\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(probe, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }

            Settings["FFPROBE_PATH"] = probe;
        }
    }

    [Fact]
    public async Task A_note_on_a_still_being_processed_is_retried_in_2_seconds_as_its_frame_is()
    {
        var project = await app.Client.CreateProject();
        var mediaId = (await (await app.Client.PostMedia("plate.png", AnnotationImageTests.BluePng(16, 16), ("project_id", project))).Expect(HttpStatusCode.Created)).Str("id");
        var note = await app.Client.Annotate(new { mediaId, content = "early" });

        var waiting = await app.Client.GetAsync($"/api/v1/annotations/{note.Str("id")}/image");
        var frame = await app.Client.GetAsync($"/api/v1/media/{mediaId}/frames/0");

        var error = await waiting.ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal(TimeSpan.FromSeconds(2), waiting.Headers.RetryAfter?.Delta);
        Assert.Equal((await frame.ExpectError(HttpStatusCode.NotFound, "NOT_FOUND")).Str("message"), error.Str("message"));
        Assert.Contains("is being made", error.Str("message"), StringComparison.Ordinal);
    }
}
