using System.Net;
using System.Text.Json;

namespace Montu.Server.Tests.Features.Annotations;

/// <summary>Frames and timestamps from the media's exact rate, both ways, on clips made by ffmpeg at 24, 25 and 24000/1001 fps.</summary>
public sealed class AnnotationFrameTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _admin = app.Client;

    private async Task<string> ClipAsync(string rate)
    {
        var media = await _admin.UploadClipAsync(await _admin.CreateProject(), rate);
        var metadata = media.GetProperty("metadata");
        Assert.Equal((rate.Contains('/', StringComparison.Ordinal) ? rate : $"{rate}/1", (long)AnnotationBuilders.ClipFrames),
            (metadata.Str("frameRateExact"), metadata.GetProperty("frameCount").GetInt64()));
        return media.Str("id");
    }

    [Theory]
    [InlineData("24", "0.2", 4, "0.166667")]
    [InlineData("25", "0.2", 5, "0.2")]
    [InlineData("24000/1001", "0.2", 4, "0.166833")]
    [InlineData("24000/1001", "0.375", 8, "0.333667")]
    public async Task A_timestamp_alone_gives_the_frame_it_falls_in_and_the_frame_s_start(string rate, string timestamp, long frame, string start)
    {
        var mediaId = await ClipAsync(rate);

        var note = await _admin.Annotate(new { mediaId, content = "here", timestamp = decimal.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(frame, note.GetProperty("frameNumber").GetInt64());
        Assert.Equal(start, note.GetProperty("timestamp").GetRawText());
    }

    [Theory]
    [InlineData("24", 3, "0.125")]
    [InlineData("25", 3, "0.12")]
    [InlineData("24000/1001", 5, "0.208542")]
    [InlineData("24000/1001", 0, "0")]
    public async Task A_frame_alone_gives_its_start_in_seconds_from_the_exact_rate(string rate, long frame, string start)
    {
        var mediaId = await ClipAsync(rate);

        var note = await _admin.Annotate(new { mediaId, content = "here", frameNumber = frame });

        Assert.Equal((frame, start), (note.GetProperty("frameNumber").GetInt64(), note.GetProperty("timestamp").GetRawText()));
        Assert.Equal(start, (await _admin.GetAnnotation(note.Str("id"))).GetProperty("timestamp").GetRawText());
    }

    [Fact]
    public async Task A_frame_and_a_timestamp_must_agree_within_half_a_frame()
    {
        var mediaId = await ClipAsync("25");

        // 0.22 s is 5.5 frames at 25 fps: half a frame from frame 5's start, which still agrees.
        var agreeing = await _admin.Annotate(new { mediaId, content = "ok", frameNumber = 5, timestamp = 0.22m });
        Assert.Equal(5, agreeing.GetProperty("frameNumber").GetInt64());

        var error = await (await _admin.PostAnnotation(new { mediaId, content = "no", frameNumber = 2, timestamp = 0.2m }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["frameNumber", "timestamp"], error.Fields());
        Assert.Contains("is frame 5 at 25/1", error.GetProperty("details")[0].Str("message"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, null)]
    [InlineData(-1, null)]
    [InlineData(null, "0.4")]
    public async Task A_frame_outside_the_media_is_refused_naming_its_frames(int? frame, string? timestamp)
    {
        var mediaId = await ClipAsync("25");

        var error = await (await _admin.PostAnnotation(new
        {
            mediaId,
            content = "out",
            frameNumber = frame,
            timestamp = timestamp is null ? (decimal?)null : decimal.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture),
        })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(["frameNumber"], error.Fields());
        Assert.Contains("has frames 0 to 9", error.GetProperty("details")[0].Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frame_change_moves_the_timestamp_and_is_checked_the_same_way()
    {
        var mediaId = await ClipAsync("24000/1001");
        var note = await _admin.Annotate(new { mediaId, content = "move me", frameNumber = 1 });

        var moved = await (await _admin.PatchJson($"/api/v1/annotations/{note.Str("id")}", new { timestamp = 0.3m })).Expect(HttpStatusCode.OK);
        Assert.Equal((7L, "0.291958"), (moved.GetProperty("frameNumber").GetInt64(), moved.GetProperty("timestamp").GetRawText()));

        var error = await (await _admin.PatchJson($"/api/v1/annotations/{note.Str("id")}", new { frameNumber = 12 })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["frameNumber"], error.Fields());
    }

    [Fact]
    public async Task A_still_has_one_frame_at_0_and_a_sound_has_none()
    {
        var project = await _admin.CreateProject();
        var still = (await _admin.UploadFileAsync(project, "still.png", MediaBuilders.Png)).Str("id");
        var sound = (await _admin.UploadFileAsync(project, "tone.wav", MediaFiles.Wav)).Str("id");

        var onStill = await _admin.Annotate(new { mediaId = still, content = "sky" });
        Assert.Equal((0L, JsonValueKind.Null), (onStill.GetProperty("frameNumber").GetInt64(), onStill.GetProperty("timestamp").ValueKind));
        var stillError = await (await _admin.PostAnnotation(new { mediaId = still, content = "sky", frameNumber = 3 })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["frameNumber"], stillError.Fields());

        var onSound = await _admin.Annotate(new { mediaId = sound, content = "too loud" });
        Assert.Equal(JsonValueKind.Null, onSound.GetProperty("frameNumber").ValueKind);
        var soundError = await (await _admin.PostAnnotation(new { mediaId = sound, content = "too loud", timestamp = 1.5m })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["timestamp"], soundError.Fields());
    }

    [Fact]
    public async Task A_position_must_lie_within_the_picture()
    {
        var mediaId = await ClipAsync("25");

        var inside = await _admin.Annotate(new { mediaId, content = "box", position = new { x = 10, y = 5, width = 54, height = 31 } });
        Assert.Equal(54, inside.GetProperty("position").GetProperty("width").GetDouble());

        var error = await (await _admin.PostAnnotation(new { mediaId, content = "box", position = new { x = 10, y = 5, width = 55, height = 10 } }))
            .ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(["position.x"], error.Fields());
        Assert.Contains("64 pixels wide", error.GetProperty("details")[0].Str("message"), StringComparison.Ordinal);
    }
}
