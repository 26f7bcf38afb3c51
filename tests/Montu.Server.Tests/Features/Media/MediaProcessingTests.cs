using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Tests.Features.Media;

/// <summary>
/// Background processing of real files made by ffmpeg: exact metadata, thumbnails, browser
/// streams and frame-accurate single frames, read back through the API and checked with ffprobe.
/// </summary>
public abstract class MediaProcessingTests<TApp>(TApp app) where TApp : TestApp
{
    private readonly HttpClient _admin = app.Client;

    private async Task<string> TaskAsync()
    {
        var project = await _admin.CreateProject();
        return (await _admin.CreateTask(TaskBuilders.NamedTask(project, $"{project}_comp"))).Str("id");
    }

    private async Task<JsonElement> UploadProcessedAsync(string fileName, byte[] bytes)
    {
        var media = await (await _admin.PostMedia(fileName, bytes, ("task_id", await TaskAsync()))).Expect(HttpStatusCode.Created);
        Assert.Equal("pending", media.GetProperty("processing").Str("status"));
        return await _admin.UntilProcessedAsync(media.Str("id"));
    }

    private async Task<byte[]> GetBytesAsync(string url, string contentType)
    {
        var response = await _admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [StorageFact]
    public async Task A_clip_at_24000_1001_is_probed_exactly_and_gets_a_thumbnail_and_a_proxy_with_the_same_frames()
    {
        var media = await UploadProcessedAsync("comp_v001.mov", MediaFiles.Clip);
        var id = media.Str("id");

        var metadata = media.GetProperty("metadata");
        Assert.Equal(("ready", JsonValueKind.Null), (media.GetProperty("processing").Str("status"), media.GetProperty("processing").GetProperty("error").ValueKind));
        Assert.Equal(("24000/1001", 23.976, 48L, 2.002), (metadata.Str("frameRateExact"), metadata.GetProperty("frameRate").GetDouble(),
            metadata.GetProperty("frameCount").GetInt64(), metadata.GetProperty("durationSeconds").GetDouble()));
        Assert.Equal((320, 180, "h264", "yuv420p", "01:00:00:00"), (metadata.GetProperty("width").GetInt32(), metadata.GetProperty("height").GetInt32(),
            metadata.Str("codec"), metadata.Str("pixelFormat"), metadata.Str("timecode")));
        Assert.Equal(JsonValueKind.Null, metadata.GetProperty("firstFrame").ValueKind);
        // The upload made revision 1, the end of processing 2: what clients see changed.
        Assert.Equal(2, media.GetProperty("revision").GetInt32());

        Assert.Equal((320, 180), MediaFiles.Size(await GetBytesAsync($"/api/v1/media/{id}/thumbnail", "image/jpeg")));

        var (proxy, pictures) = MediaFiles.ProbeVideo(await GetBytesAsync($"/api/v1/media/{id}/stream", "video/mp4"));
        Assert.Equal(("h264", "yuv420p", "24000/1001", "48"), (proxy.Str("codec_name"), proxy.Str("pix_fmt"), proxy.Str("r_frame_rate"), proxy.Str("nb_read_packets")));
        Assert.Equal(string.Concat(Enumerable.Repeat("IP", MediaFiles.ClipFrames / 2)), pictures);
    }

    [StorageFact]
    public async Task The_stream_answers_a_range_as_players_ask()
    {
        var id = (await UploadProcessedAsync("comp_v001.mov", MediaFiles.Clip)).Str("id");
        var whole = await GetBytesAsync($"/api/v1/media/{id}/stream", "video/mp4");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/media/{id}/stream");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        var response = await _admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(whole[100..200], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 100-199/{whole.Length}", response.Content.Headers.ContentRange?.ToString());
    }

    [StorageFact]
    public async Task Each_frame_is_the_exact_frame_and_is_kept_after_the_first_request()
    {
        var id = (await UploadProcessedAsync("comp_v001.mov", MediaFiles.Clip)).Str("id");

        foreach (var frame in new[] { 0, 1, 23, 24, 30, 47 })
        {
            var luma = MediaFiles.MeanLuma(await GetBytesAsync($"/api/v1/media/{id}/frames/{frame}", "image/jpeg"));
            Assert.True(Math.Abs(luma - (frame * MediaFiles.LumaStep)) < 2, $"frame {frame} has luma {luma}, frame {frame}'s is {frame * MediaFiles.LumaStep}");
        }

        var kept = await app.Services.GetRequiredService<IFileStore>().FindAsync($"frames/{id}/30.jpg", CancellationToken.None);
        Assert.NotNull(kept);
        var again = await _admin.GetAsync($"/api/v1/media/{id}/frames/30");
        Assert.Equal(kept.LastModified, (await app.Services.GetRequiredService<IFileStore>().FindAsync($"frames/{id}/30.jpg", CancellationToken.None))!.LastModified);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [StorageTheory]
    [InlineData("48", HttpStatusCode.NotFound, "NOT_FOUND", "frames 0 to 47")]
    [InlineData("-1", HttpStatusCode.NotFound, "NOT_FOUND", "there is no frame -1")]
    [InlineData("ten", HttpStatusCode.BadRequest, "VALIDATION_ERROR", "not a frame number")]
    public async Task A_frame_outside_the_clip_says_which_frames_it_has(string frame, HttpStatusCode status, string code, string says)
    {
        var id = (await UploadProcessedAsync("comp_v001.mov", MediaFiles.Clip)).Str("id");

        var error = await (await _admin.GetAsync($"/api/v1/media/{id}/frames/{frame}")).ExpectError(status, code);

        Assert.Contains(says, error.Str("message"));
    }

    [StorageFact]
    public async Task A_1080p_still_is_measured_and_shown_as_it_is()
    {
        var media = await UploadProcessedAsync("plate.png", MediaFiles.Still);
        var id = media.Str("id");

        var metadata = media.GetProperty("metadata");
        Assert.Equal((1920, 1080, 1L, "png"), (metadata.GetProperty("width").GetInt32(), metadata.GetProperty("height").GetInt32(),
            metadata.GetProperty("frameCount").GetInt64(), metadata.Str("codec")));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (metadata.GetProperty("frameRate").ValueKind, metadata.GetProperty("durationSeconds").ValueKind));
        Assert.Equal((320, 180), MediaFiles.Size(await GetBytesAsync($"/api/v1/media/{id}/thumbnail", "image/jpeg")));
        Assert.Equal(MediaFiles.Still, await GetBytesAsync($"/api/v1/media/{id}/stream", "image/png"));
        Assert.Equal((1920, 1080), MediaFiles.Size(await GetBytesAsync($"/api/v1/media/{id}/frames/0", "image/jpeg")));
    }

    [StorageFact]
    public async Task An_aces_exr_names_its_colour_space_numbers_its_frame_and_is_tone_mapped_for_the_browser()
    {
        // Linear 0.18 (mid grey) is 118 in sRGB; shown without the curve it would be 46.
        var media = await UploadProcessedAsync("beauty.1001.exr", MediaFiles.AcesExr(64, 32, 0.18f));
        var id = media.Str("id");

        var metadata = media.GetProperty("metadata");
        Assert.Equal(("ACES", 1001L, 64, 32, "exr"), (metadata.Str("colorSpace"), metadata.GetProperty("firstFrame").GetInt64(),
            metadata.GetProperty("width").GetInt32(), metadata.GetProperty("height").GetInt32(), metadata.Str("codec")));
        var thumbnail = await GetBytesAsync($"/api/v1/media/{id}/thumbnail", "image/jpeg");
        Assert.Equal((320, 160), MediaFiles.Size(thumbnail));
        Assert.InRange(MediaFiles.MeanLuma(thumbnail), 110, 126);
        var preview = await GetBytesAsync($"/api/v1/media/{id}/stream", "image/png");
        Assert.Equal((64, 32), MediaFiles.Size(preview));
        Assert.InRange(MediaFiles.MeanLuma(await GetBytesAsync($"/api/v1/media/{id}/frames/1001", "image/jpeg")), 110, 126);
        await (await _admin.GetAsync($"/api/v1/media/{id}/frames/0")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [StorageFact]
    public async Task A_sound_gets_its_duration_and_a_waveform_and_plays_as_it_is()
    {
        var media = await UploadProcessedAsync("dialogue.wav", MediaFiles.Wav);
        var id = media.Str("id");

        var metadata = media.GetProperty("metadata");
        Assert.Equal(("audio", 3.0, "pcm_s16le"), (media.Str("mediaType"), metadata.GetProperty("durationSeconds").GetDouble(), metadata.Str("codec")));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (metadata.GetProperty("width").ValueKind, metadata.GetProperty("frameCount").ValueKind));
        Assert.Equal((320, 120), MediaFiles.Size(await GetBytesAsync($"/api/v1/media/{id}/thumbnail", "image/jpeg")));
        Assert.Equal(MediaFiles.Wav, await GetBytesAsync($"/api/v1/media/{id}/stream", "audio/wav"));
        var error = await (await _admin.GetAsync($"/api/v1/media/{id}/frames/0")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("audio: it has no frames", error.Str("message"));
    }

    [StorageFact]
    public async Task A_video_ffmpeg_cannot_read_fails_with_the_reason_and_its_original_stays_downloadable()
    {
        byte[] corrupt = [.. "\0\0\0\u0018ftypqt  "u8, .. Enumerable.Range(0, 4000).Select(i => (byte)(i * 7))];

        var media = await UploadProcessedAsync("broken.mov", corrupt);
        var id = media.Str("id");

        var processing = media.GetProperty("processing");
        Assert.Equal("failed", processing.Str("status"));
        Assert.Contains("ffprobe could not read the file", processing.Str("error"));
        Assert.Equal(corrupt, await GetBytesAsync($"/api/v1/media/{id}/download", "video/quicktime"));
        var thumbnail = await (await _admin.GetAsync($"/api/v1/media/{id}/thumbnail")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("could not be processed", thumbnail.Str("message"));
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        var payload = await connection.ExecuteScalarAsync<string>(
            $"SELECT {(TestApp.OnPostgres ? "payload::text" : "payload")} FROM events WHERE entity_id = @id AND type = 'media_processed'", new { id });
        Assert.Equal("failed", JsonDocument.Parse(payload!).RootElement.GetProperty("processing").Str("status"));
    }

    [StorageFact]
    public async Task A_document_is_ready_at_once_and_has_no_thumbnail_or_stream()
    {
        var media = await UploadProcessedAsync("notes.txt", MediaBuilders.Text("lens: 35mm"));
        var id = media.Str("id");

        Assert.Equal("ready", media.GetProperty("processing").Str("status"));
        foreach (var view in new[] { "thumbnail", "stream", "frames/0" })
        {
            var error = await (await _admin.GetAsync($"/api/v1/media/{id}/{view}")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
            Assert.Contains("no", error.Str("message"));
        }
    }

    [StorageFact]
    public async Task Signed_links_open_the_thumbnail_and_the_stream_without_a_token()
    {
        var id = (await UploadProcessedAsync("plate.png", MediaFiles.Still)).Str("id");
        using var anonymous = app.Anonymous();

        foreach (var (purpose, type) in new[] { ("thumbnail", "image/jpeg"), ("stream", "image/png") })
        {
            var link = await (await _admin.PostJson($"/api/v1/media/{id}/links", new { purpose })).Expect(HttpStatusCode.OK);
            var url = link.Str("url");
            Assert.StartsWith($"/api/v1/media/{id}/{purpose}?", url);
            var response = await anonymous.GetAsync(url);
            Assert.Equal((HttpStatusCode.OK, type), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
            await (await anonymous.GetAsync(url.Replace(purpose + "?", (purpose == "stream" ? "thumbnail" : "stream") + "?", StringComparison.Ordinal)))
                .ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }
    }

    [StorageFact]
    public async Task Deleting_a_version_deletes_its_thumbnail_stream_and_frames()
    {
        var id = (await UploadProcessedAsync("comp_v001.mov", MediaFiles.Clip)).Str("id");
        await GetBytesAsync($"/api/v1/media/{id}/frames/3", "image/jpeg");
        var store = app.Services.GetRequiredService<IFileStore>();
        var derived = new List<string>();
        foreach (var prefix in new[] { "thumbnails/", "previews/", "frames/" })
        {
            derived.AddRange(await store.ListAsync(prefix + id + "/", CancellationToken.None).Select(f => f.Key).ToListAsync());
        }

        Assert.Equal(3, derived.Count);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/v1/media/{id}")).StatusCode);

        foreach (var key in derived)
        {
            Assert.Null(await store.FindAsync(key, CancellationToken.None));
        }
    }
}

public sealed class LocalMediaProcessingTests(TestApp app) : MediaProcessingTests<TestApp>(app), IClassFixture<TestApp>;

public sealed class S3MediaProcessingTests(S3TestApp app) : MediaProcessingTests<S3TestApp>(app), IClassFixture<S3TestApp>;
