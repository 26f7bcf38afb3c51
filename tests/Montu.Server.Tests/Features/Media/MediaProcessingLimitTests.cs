using System.Net;

namespace Montu.Server.Tests.Features.Media;

/// <summary>Processing refuses pictures over the pixel limit, and gives up on a file past the time limit, as failures the media shows.</summary>
public sealed class MediaProcessingLimitTests(MediaProcessingLimitTests.SmallPicturesApp app) : IClassFixture<MediaProcessingLimitTests.SmallPicturesApp>
{
    public sealed class SmallPicturesApp : TestApp
    {
        public SmallPicturesApp() => Settings["MediaProcessing:MaxPixels"] = "1000000";
    }

    [Fact]
    public async Task A_picture_over_the_pixel_limit_fails_with_its_size_and_the_limit()
    {
        var project = await app.Client.CreateProject();
        var id = (await (await app.Client.PostMedia("plate.png", MediaFiles.Still, ("project_id", project))).Expect(HttpStatusCode.Created)).Str("id");

        var media = await app.Client.UntilProcessedAsync(id);

        var processing = media.GetProperty("processing");
        Assert.Equal("failed", processing.Str("status"));
        Assert.Equal("The picture is 1920 × 1080 (2.1 megapixels), above this server's limit of 1 megapixels", processing.Str("error"));
        Assert.Equal(1920, media.GetProperty("metadata").GetProperty("width").GetInt32());
        Assert.False(Directory.Exists(Path.Combine(app.DataDir, "media", "thumbnails")));
    }
}

/// <summary>While a file is processed its thumbnail is "being made"; a file that takes past the limit fails saying so.</summary>
public sealed class MediaProcessingTimeoutTests(MediaProcessingTimeoutTests.SlowProbeApp app) : IClassFixture<MediaProcessingTimeoutTests.SlowProbeApp>
{
    public sealed class SlowProbeApp : TestApp
    {
        public SlowProbeApp()
        {
            var probe = Path.Combine(DataDir, "slow-ffprobe.sh");
            File.WriteAllText(probe, "#!/bin/sh\nexec sleep 30\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(probe, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }
            Settings["FFPROBE_PATH"] = probe;
            Settings["MediaProcessing:TimeoutSeconds"] = "1.5";
        }
    }

    [Fact]
    public async Task The_thumbnail_is_being_made_until_the_time_limit_fails_the_processing()
    {
        var project = await app.Client.CreateProject();
        var id = (await (await app.Client.PostMedia("plate.png", MediaBuilders.Png, ("project_id", project))).Expect(HttpStatusCode.Created)).Str("id");

        var waiting = await app.Client.GetAsync($"/api/v1/media/{id}/thumbnail");
        var media = await app.Client.UntilProcessedAsync(id);

        var error = await waiting.ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("is being made", error.Str("message"));
        Assert.Equal(TimeSpan.FromSeconds(2), waiting.Headers.RetryAfter?.Delta);
        Assert.Equal(("failed", "Processing took longer than the limit of 1.5 s"), (media.GetProperty("processing").Str("status"), media.GetProperty("processing").Str("error")));
        var thumbnail = await (await app.Client.GetAsync($"/api/v1/media/{id}/thumbnail")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("took longer than the limit", thumbnail.Str("message"));
    }
}
