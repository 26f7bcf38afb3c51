using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Montu.Server.Tests;

/// <summary>Media uploads for tests: small files of real formats, sent as multipart/form-data.</summary>
public static class MediaBuilders
{
    /// <summary>The smallest valid PNG: one transparent pixel.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>A multipart body with <paramref name="fields"/> first and then the file (or the file first).</summary>
    public static MultipartFormDataContent Form(string fileName, byte[] bytes, IEnumerable<(string Name, string Value)> fields, bool fileFirst = false)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (fileFirst)
        {
            form.Add(file, "file", fileName);
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value, Encoding.UTF8), name);
        }

        if (!fileFirst)
        {
            form.Add(file, "file", fileName);
        }

        return form;
    }

    public static Task<HttpResponseMessage> PostMedia(this HttpClient client, string fileName, byte[] bytes, params (string Name, string Value)[] fields) =>
        client.PostAsync("/api/v1/media", Form(fileName, bytes, fields));

    /// <summary>Uploads a PNG as a version of <paramref name="taskId"/> and returns the created media.</summary>
    public static async Task<JsonElement> UploadPng(this HttpClient client, string taskId, params (string Name, string Value)[] fields) =>
        await (await client.PostMedia("beauty.png", Png, [("task_id", taskId), .. fields])).Expect(HttpStatusCode.Created);

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>
    /// A media row written straight into the database, for sizes no test uploads (a 1.5 GB
    /// version): only what counts and lists read is real.
    /// </summary>
    public static async Task InsertRowAsync(Montu.Server.Data.Db db, string projectId, string name, long bytes)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        var now = DateTime.UtcNow;
        await Dapper.SqlMapper.ExecuteAsync(connection, $"""
            INSERT INTO media (id, project_id, author, file_name, file_extension, media_type, content_type, storage_key, metadata,
                               size_bytes, checksum, search_text, processing_status, created_at, updated_at)
            VALUES (@id, @projectId, 'user_test', @name, '.exr', 'image', 'image/x-exr', @key, {db.Dialect.Json("metadata")},
                    @bytes, 'sha256:0', @name, 'ready', @now, @now)
            """, new { id = $"media_{projectId}_{name}", projectId, name, key = $"test/{projectId}/{name}", metadata = "{}", bytes, now });
    }

    /// <summary>Waits for background processing as a client would, reading the media until it is no longer pending (60 s at most).</summary>
    public static async Task<JsonElement> UntilProcessedAsync(this HttpClient client, string mediaId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var media = await (await client.GetAsync($"/api/v1/media/{mediaId}")).Expect(HttpStatusCode.OK);
            if (media.GetProperty("processing").Str("status") != "pending" || DateTime.UtcNow > deadline)
            {
                return media;
            }

            await Task.Delay(100);
        }
    }
}
