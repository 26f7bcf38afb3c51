using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Montu.Server.Tests.Features.Media;

/// <summary>Signed links let a browser fetch a file without a token, briefly, and only that file.</summary>
public sealed class MediaLinkTests(MediaLinkTests.ClockApp app) : IClassFixture<MediaLinkTests.ClockApp>
{
    public sealed class ClockApp : TestApp
    {
        public ManualClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    private async Task<(string Project, string Media)> UploadAsync()
    {
        await app.SignInAdminAgain();
        var project = await app.Client.CreateProject();
        return (project, (await (await app.Client.PostMedia("notes.txt", MediaBuilders.Text("secret notes"), ("project_id", project))).Expect(HttpStatusCode.Created)).Str("id"));
    }

    [Fact]
    public async Task A_link_fetches_the_file_without_a_token_until_it_expires()
    {
        var (project, media) = await UploadAsync();
        var viewer = await app.CreateUser(project, "viewer");

        var link = await (await viewer.Client.PostJson($"/api/v1/media/{media}/links", new { purpose = "download", expiresInSeconds = 60 })).Expect(HttpStatusCode.OK);

        var url = link.Str("url");
        Assert.StartsWith($"/api/v1/media/{media}/download?expires=", url);
        Assert.Equal(app.Clock.GetUtcNow().AddSeconds(60).ToUnixTimeSeconds(), DateTimeOffset.Parse(link.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        Assert.Equal("secret notes", await app.Anonymous().GetStringAsync(url));
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var expired = await (await app.Anonymous().GetAsync(url)).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("The link is not valid or has expired; ask for a new one", expired.Str("message"));
    }

    [Fact]
    public async Task An_altered_link_or_one_for_another_file_is_401()
    {
        var (_, media) = await UploadAsync();
        var (_, other) = await UploadAsync();
        var url = (await (await app.Client.PostJson($"/api/v1/media/{media}/links", new { })).Expect(HttpStatusCode.OK)).Str("url");
        var query = url[url.IndexOf('?', StringComparison.Ordinal)..];

        await (await app.Anonymous().GetAsync($"/api/v1/media/{other}/download{query}")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.Anonymous().GetAsync(url.Replace("expires=", "expires=9", StringComparison.Ordinal))).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.Anonymous().GetAsync(url[..^2] + "xx")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await app.Anonymous().GetAsync($"/api/v1/media/{media}/download")).ExpectError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Links_live_at_most_a_day_and_only_for_known_purposes()
    {
        var (_, media) = await UploadAsync();

        var tooLong = await (await app.Client.PostJson($"/api/v1/media/{media}/links", new { expiresInSeconds = 86_401 })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var purpose = await (await app.Client.PostJson($"/api/v1/media/{media}/links", new { purpose = "upload" })).ExpectError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await (await app.Client.PostJson("/api/v1/media/media_nope/links", new { })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");

        Assert.Equal(["expiresInSeconds"], tooLong.Fields());
        Assert.Equal(["purpose"], purpose.Fields());
    }

    [Fact]
    public async Task Outsiders_cannot_make_links()
    {
        var (_, media) = await UploadAsync();
        var outsider = await app.CreateUser(await app.Client.CreateProject(), "producer");

        await (await outsider.Client.PostJson($"/api/v1/media/{media}/links", new { })).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
