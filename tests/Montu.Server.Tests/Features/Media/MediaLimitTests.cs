using System.Net;

namespace Montu.Server.Tests.Features.Media;

/// <summary>Uploads past MAX_FILE_SIZE, or of types left out of ALLOWED_FILE_TYPES, store nothing.</summary>
public sealed class MediaLimitTests(MediaLimitTests.SmallUploadsApp app) : IClassFixture<MediaLimitTests.SmallUploadsApp>
{
    public sealed class SmallUploadsApp : TestApp
    {
        public SmallUploadsApp()
        {
            Settings["MAX_FILE_SIZE"] = "1KB";
            Settings["ALLOWED_FILE_TYPES"] = "png, .txt";
        }
    }

    [Fact]
    public async Task A_file_over_the_limit_is_413_and_nothing_is_stored()
    {
        var project = await app.Client.CreateProject();

        var error = await (await app.Client.PostMedia("big.txt", new byte[1025], ("project_id", project))).ExpectError(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        var atLimit = await (await app.Client.PostMedia("fits.txt", new byte[1024], ("project_id", project))).Expect(HttpStatusCode.Created);

        Assert.Contains("1024 bytes", error.Str("message"));
        Assert.Equal(1024, atLimit.GetProperty("metadata").GetProperty("fileSize").GetInt64());
        Assert.Equal(["fits.txt"], Directory.GetFiles(Path.Combine(app.DataDir, "media"), "*", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Only_the_configured_types_are_accepted()
    {
        var project = await app.Client.CreateProject();

        var error = await (await app.Client.PostMedia("scene.ma", MediaBuilders.Text("//Maya"), ("project_id", project))).ExpectError(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");

        Assert.EndsWith("accepted: .png .txt", error.Str("message"));
    }
}
