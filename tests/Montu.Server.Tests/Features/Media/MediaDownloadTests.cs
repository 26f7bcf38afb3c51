using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Montu.Server.Tests.Features.Media;

/// <summary>Downloads as players and download managers use them: ranges, validators, file names.</summary>
public abstract class MediaDownloadTests<TApp>(TApp app) where TApp : TestApp
{
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("0123456789abcdefghij");

    private async Task<string> UploadAsync(string fileName = "notes.txt")
    {
        var project = await app.Client.CreateProject();
        return (await (await app.Client.PostMedia(fileName, Content, ("project_id", project))).Expect(HttpStatusCode.Created)).Str("id");
    }

    [StorageFact]
    public async Task The_whole_file_comes_with_its_type_etag_and_name()
    {
        var id = await UploadAsync();

        var response = await app.Client.GetAsync($"/api/v1/media/{id}/download");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("notes.txt", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Content)) + "\"", response.Headers.ETag?.Tag);
    }

    [StorageTheory]
    [InlineData("bytes=2-5", "2345", "bytes 2-5/20")]
    [InlineData("bytes=15-", "fghij", "bytes 15-19/20")]
    [InlineData("bytes=-3", "hij", "bytes 17-19/20")]
    [InlineData("bytes=18-99", "ij", "bytes 18-19/20")]
    public async Task One_range_is_206_with_exactly_those_bytes(string range, string expected, string contentRange)
    {
        var id = await UploadAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/media/{id}/download");
        request.Headers.TryAddWithoutValidation("Range", range);

        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        Assert.Equal(contentRange, response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(expected.Length, response.Content.Headers.ContentLength);
    }

    [StorageFact]
    public async Task A_range_past_the_end_is_416_saying_the_size()
    {
        var id = await UploadAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/media/{id}/download");
        request.Headers.Range = new RangeHeaderValue(20, 30);

        var response = await app.Client.SendAsync(request);

        await response.ExpectError(HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_NOT_SATISFIABLE");
        Assert.Equal("bytes */20", response.Content.Headers.ContentRange?.ToString());
    }

    [StorageFact]
    public async Task A_matching_etag_is_304_without_a_body()
    {
        var id = await UploadAsync();
        var first = await app.Client.GetAsync($"/api/v1/media/{id}/download");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/media/{id}/download");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [StorageFact]
    public async Task A_file_name_beyond_ascii_is_given_as_rfc_6266_filename_star()
    {
        var id = await UploadAsync("plan séquence 日本.txt");

        var response = await app.Client.GetAsync($"/api/v1/media/{id}/download");

        Assert.Equal("plan séquence 日本.txt", response.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [StorageFact]
    public async Task An_unknown_media_is_404()
    {
        await (await app.Client.GetAsync("/api/v1/media/media_nope/download")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await app.Client.GetAsync("/api/v1/media/media_nope")).ExpectError(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}

public sealed class LocalMediaDownloadTests(TestApp app) : MediaDownloadTests<TestApp>(app), IClassFixture<TestApp>;

public sealed class S3MediaDownloadTests(S3TestApp app) : MediaDownloadTests<S3TestApp>(app), IClassFixture<S3TestApp>;

/// <summary>With S3_REDIRECT, a download is a redirect to the bucket, which serves the same bytes without the server.</summary>
public sealed class S3RedirectTests(S3RedirectTests.RedirectApp app) : IClassFixture<S3RedirectTests.RedirectApp>
{
    public sealed class RedirectApp : S3TestApp
    {
        public RedirectApp() => Settings["S3_REDIRECT"] = "true";
    }

    [StorageFact]
    public async Task A_download_redirects_to_a_presigned_url_of_the_bucket()
    {
        var project = await app.Client.CreateProject();
        var id = (await (await app.Client.PostMedia("notes.txt", MediaBuilders.Text("from the bucket"), ("project_id", project))).Expect(HttpStatusCode.Created)).Str("id");
        using var noRedirects = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        noRedirects.DefaultRequestHeaders.Authorization = app.Client.DefaultRequestHeaders.Authorization;

        var response = await noRedirects.GetAsync($"/api/v1/media/{id}/download");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(S3TestApp.Endpoint!.Authority, location.Authority);
        using var plain = new HttpClient();
        var fetched = await plain.GetAsync(location);
        Assert.Equal("from the bucket", await fetched.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", fetched.Content.Headers.ContentType?.MediaType);
    }
}
