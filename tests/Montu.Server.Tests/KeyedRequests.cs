using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;

namespace Montu.Server.Tests;

/// <summary>Requests carrying an <c>Idempotency-Key</c>, and an upload held open in the middle of its file.</summary>
public static class KeyedRequests
{
    public const string KeyHeader = "Idempotency-Key";

    public static async Task<HttpResponseMessage> SendKeyed(this HttpClient client, HttpMethod method, string url, object? body, string key)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Http.JsonContent(body) };
        request.Headers.TryAddWithoutValidation(KeyHeader, key);
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostKeyed(this HttpClient client, string url, object body, string key) => client.SendKeyed(HttpMethod.Post, url, body, key);

    public static Task<HttpResponseMessage> PatchKeyed(this HttpClient client, string url, object body, string key) => client.SendKeyed(HttpMethod.Patch, url, body, key);

    public static Task<HttpResponseMessage> DeleteKeyed(this HttpClient client, string url, string key) => client.SendKeyed(HttpMethod.Delete, url, null, key);

    /// <summary>
    /// A PNG uploaded by the admin to <paramref name="taskId"/> with <paramref name="key"/>, whose last bytes wait for
    /// <see cref="HeldUpload.Release"/>. Sent by a bare client of the in-memory server: the factory's own client
    /// reads a body whole before sending it (to send it again on a redirect).
    /// </summary>
    public static async Task<(Task<HttpResponseMessage> Response, HeldUpload Upload)> StartHeldUpload(this TestApp app, string taskId, string key)
    {
        var client = new HttpClient(app.Server.CreateHandler()) { BaseAddress = app.Server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = app.Client.DefaultRequestHeaders.Authorization;
        using var form = MediaBuilders.Form("beauty.png", MediaBuilders.Png, [("task_id", taskId)]);
        var bytes = await form.ReadAsByteArrayAsync();
        var upload = new HeldUpload(bytes, bytes.Length - 40, form.Headers.ContentType!);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/media") { Content = upload };
        request.Headers.TryAddWithoutValidation(KeyHeader, key);
        return (client.SendAsync(request), upload);
    }

    /// <summary>A fresh upload of the same PNG to <paramref name="taskId"/>: the same request as a held one, with another multipart boundary.</summary>
    public static async Task<HttpResponseMessage> UploadKeyed(this HttpClient client, string taskId, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/media") { Content = MediaBuilders.Form("beauty.png", MediaBuilders.Png, [("task_id", taskId)]) };
        request.Headers.TryAddWithoutValidation(KeyHeader, key);
        return await client.SendAsync(request);
    }

    /// <summary>Until the server has claimed <paramref name="key"/> (its row exists), or five seconds have passed.</summary>
    public static async Task UntilClaimed(this TestApp app, string key)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await KeyRows(app, key) == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), $"Key {key} was never claimed");
            await Task.Delay(10);
        }
    }

    public static async Task<long> KeyRows(this TestApp app, string key)
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys WHERE idempotency_key = @key", new { key });
    }

    public static bool Replayed(this HttpResponseMessage response) => response.Header("Idempotent-Replayed") == "true";

    public static async Task<JsonElement> ExpectReplay(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.True(response.Replayed(), $"{(int)response.StatusCode} is not a replay");
        return await response.Expect(status);
    }

    public static async Task<JsonElement> ExpectFirstRun(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.False(response.Replayed(), $"{(int)response.StatusCode} is a replay");
        return await response.Expect(status);
    }
}

/// <summary>A body sent up to <c>split</c> bytes at once, and the rest once the test releases it.</summary>
public sealed class HeldUpload : HttpContent
{
    private readonly byte[] _bytes;
    private readonly int _split;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldUpload(byte[] bytes, int split, MediaTypeHeaderValue type)
    {
        _bytes = bytes;
        _split = split;
        Headers.ContentType = type;
    }

    public void Release() => _release.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(_bytes.AsMemory(0, _split));
        await stream.FlushAsync();
        await _release.Task;
        await stream.WriteAsync(_bytes.AsMemory(_split));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _bytes.Length;
        return true;
    }
}
