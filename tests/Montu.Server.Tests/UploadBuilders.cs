using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Montu.Server.Tests;

/// <summary>Resumable uploads for tests: tus requests as a tus client sends them, and files of a real format.</summary>
public static class UploadBuilders
{
    public const string UploadsUrl = "/api/v1/uploads";

    /// <summary><c>Upload-Metadata</c>: each key with its value in base64.</summary>
    public static string Metadata(params (string Key, string Value)[] pairs) =>
        string.Join(",", pairs.Select(p => $"{p.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))}"));

    /// <summary>An OpenEXR file of <paramref name="size"/> bytes: the format's magic number, then bytes drawn from <paramref name="seed"/>.</summary>
    public static byte[] Exr(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0x76;
        bytes[1] = 0x2F;
        bytes[2] = 0x31;
        bytes[3] = 0x01;
        return bytes;
    }

    /// <summary>A request of the tus protocol: it says which version it speaks.</summary>
    public static HttpRequestMessage Tus(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    public static Task<HttpResponseMessage> CreateUpload(this HttpClient client, long length, string metadata, byte[]? firstBytes = null)
    {
        var request = Tus(HttpMethod.Post, UploadsUrl);
        request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Metadata", metadata);
        if (firstBytes is not null)
        {
            request.Content = Bytes(firstBytes);
        }

        return client.SendAsync(request);
    }

    /// <summary>Creates an upload (201 asserted) and returns its address.</summary>
    public static async Task<string> StartUpload(this HttpClient client, long length, params (string Key, string Value)[] metadata)
    {
        var response = await client.CreateUpload(length, Metadata(metadata));
        await response.Expect(HttpStatusCode.Created);
        return response.Headers.Location!.OriginalString;
    }

    public static Task<HttpResponseMessage> PatchUpload(this HttpClient client, string url, long offset, byte[] bytes) =>
        client.PatchUpload(url, offset, Bytes(bytes));

    public static Task<HttpResponseMessage> PatchUpload(this HttpClient client, string url, long offset, HttpContent content)
    {
        var request = Tus(HttpMethod.Patch, url);
        request.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Content = content;
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> HeadUpload(this HttpClient client, string url) => client.SendAsync(Tus(HttpMethod.Head, url));

    public static Task<HttpResponseMessage> DeleteUpload(this HttpClient client, string url) => client.SendAsync(Tus(HttpMethod.Delete, url));

    /// <summary>The bytes the upload holds, from HEAD (200 asserted).</summary>
    public static async Task<long> OffsetOf(this HttpClient client, string url)
    {
        using var head = await client.HeadUpload(url);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        return long.Parse(head.Header("Upload-Offset"), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A response header's value, or "" when absent.</summary>
    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    public static HttpContent Bytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        return content;
    }
}
