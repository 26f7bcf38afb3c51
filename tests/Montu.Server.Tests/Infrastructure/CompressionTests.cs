using System.IO.Compression;
using System.Net;
using System.Text.Json;
using MessagePack;

namespace Montu.Server.Tests.Infrastructure;

/// <summary>
/// Brotli and gzip for API documents (docs/api.md §Wire formats): only when accepted, only past
/// 1 KiB, never for stored files or the answers that carry credentials.
/// </summary>
public sealed class CompressionTests(TestApp app) : IClassFixture<TestApp>
{
    private readonly HttpClient _client = app.Client;

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task A_compressed_list_page_decompresses_to_the_uncompressed_json_also_when_the_page_is_stored(string encoding)
    {
        var project = await ProjectWithTasks(6);
        var url = $"/api/v1/tasks?project_id={project}";
        var plain = await (await _client.GetAsync(url)).Content.ReadAsByteArrayAsync();

        foreach (var _ in new[] { "computed", "stored" })
        {
            var response = await GetAsync(url, encoding);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.Contains("Accept", response.Headers.Vary);
            var compressed = await response.Content.ReadAsByteArrayAsync();
            Assert.True(compressed.Length < plain.Length / 2, $"{compressed.Length} of {plain.Length} bytes");
            Assert.Equal(plain, Decompress(compressed, encoding));
        }
    }

    [Fact]
    public async Task A_list_page_in_messagepack_is_compressed_too()
    {
        var project = await ProjectWithTasks(6);
        var url = $"/api/v1/tasks?project_id={project}";
        var json = await _client.ListTasks($"project_id={project}");

        var response = await GetAsync(url, "br", accept: "application/x-msgpack");

        Assert.Equal("application/x-msgpack", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        var packed = Decompress(await response.Content.ReadAsByteArrayAsync(), "br");
        Assert.True(JsonElement.DeepEquals(json, JsonDocument.Parse(MessagePackSerializer.ConvertToJson(packed)).RootElement));
    }

    [Fact]
    public async Task A_response_under_1_KiB_is_sent_as_it_is_with_its_length()
    {
        var project = await _client.CreateProject();
        var id = (await _client.CreateTask(TaskBuilders.AssetTask(project, "prop"))).Str("id");

        var response = await GetAsync($"/api/v1/tasks/{id}", "gzip, br");

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length < 1024, $"{bytes.Length} bytes");
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal(id, JsonDocument.Parse(bytes).RootElement.Str("id"));
    }

    [Fact]
    public async Task An_error_envelope_past_1_KiB_is_compressed()
    {
        var members = Enumerable.Range(0, 40).Select(_ => new { role = "nope" }).ToList();
        var project = await _client.CreateProject();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/projects/{project}/users") { Content = Http.JsonContent(members) };
        request.Headers.Add("Accept-Encoding", "gzip");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        var error = JsonDocument.Parse(Decompress(await response.Content.ReadAsByteArrayAsync(), "gzip")).RootElement.GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.Str("code"));
    }

    [Fact]
    public async Task A_media_download_is_never_compressed_and_keeps_its_etag()
    {
        var project = await _client.CreateProject();
        var task = (await _client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var file = MediaBuilders.Text(JsonSerializer.Serialize(Enumerable.Range(0, 500).Select(i => new { frame = 1001 + i, focal = 35 })));
        var media = await (await _client.PostMedia("lens.json", file, ("task_id", task))).Expect(HttpStatusCode.Created);
        var url = $"/api/v1/media/{media.Str("id")}/download";

        var response = await GetAsync(url, "gzip, br");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(file.Length, response.Content.Headers.ContentLength);
        Assert.Equal(file, await response.Content.ReadAsByteArrayAsync());
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.Add("Accept-Encoding", "gzip");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task Without_accept_encoding_nothing_is_compressed()
    {
        var project = await ProjectWithTasks(6);

        var response = await _client.GetAsync($"/api/v1/tasks?project_id={project}");

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(6, JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement.GetProperty("total").GetInt32());
    }

    private async Task<string> ProjectWithTasks(int count)
    {
        var project = await _client.CreateProject();
        await _client.CreateTasks(Enumerable.Range(1, count).Select(i => TaskBuilders.ShotTask(project, shot: $"sh{i:D3}")));
        return project;
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string encoding, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Accept-Encoding", encoding);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await _client.SendAsync(request);
    }

    private static byte[] Decompress(byte[] bytes, string encoding)
    {
        using var input = new MemoryStream(bytes);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
