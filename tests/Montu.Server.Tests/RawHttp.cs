using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Montu.Server.Tests;

/// <summary>
/// Requests whose body is left unfinished, sent straight over a socket to a server on a real
/// listener (<see cref="KestrelTestApp"/>, <see cref="ServerProcess"/>): a body streamed in chunks
/// that the server must refuse from what it has read, an upload cut off in the middle of its file.
/// </summary>
public static class RawHttp
{
    /// <summary>Streams <paramref name="bytes"/> of a JSON body in chunks without a <c>Content-Length</c>, never finishing it, and reads the answer.</summary>
    public static async Task<(int Status, JsonElement Body)> StreamUnfinishedBody(
        HttpClient client, HttpMethod method, string path, long bytes, char fill = ' ')
    {
        var address = client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var head = $"{method} {path} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: {client.DefaultRequestHeaders.Authorization}\r\n" +
                   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var chunk = Encoding.ASCII.GetBytes(new string(fill, 16 * 1024));
        try
        {
            await WriteChunk(stream, "{\"description\": \""u8.ToArray());
            for (long sent = 0; sent < bytes; sent += chunk.Length)
            {
                await WriteChunk(stream, chunk);
            }
        }
        catch (IOException)
        {
            // The server may stop reading and answer before the last chunk went out.
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        if (response.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return (status, JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>
    /// Starts <c>POST /api/v1/media</c> of a <paramref name="fileBytes"/>-byte file for
    /// <paramref name="taskId"/>, its length announced whole, and sends the fields and the first
    /// <paramref name="sentBytes"/> of the file only. The connection is left open in the middle of
    /// the file: the test drops it (<see cref="Reset"/>), or kills the server under it.
    /// </summary>
    public static async Task<TcpClient> StartUpload(HttpClient client, string taskId, string fileName, long fileBytes, long sentBytes)
    {
        var address = client.BaseAddress!;
        var boundary = "montu-test-" + Guid.NewGuid().ToString("N");
        var fields = $"--{boundary}\r\nContent-Disposition: form-data; name=\"task_id\"\r\n\r\n{taskId}\r\n" +
                     $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        var end = $"\r\n--{boundary}--\r\n";
        var length = fields.Length + fileBytes + end.Length;
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(address.Host, address.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /api/v1/media HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: {client.DefaultRequestHeaders.Authorization}\r\n" +
                $"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n\r\n{fields}"));
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'m');
            for (long sent = 0; sent < sentBytes; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, sentBytes - sent)));
            }

            return tcp;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Drops the connection as a client that vanished does: a reset, not an orderly close.</summary>
    public static void Reset(TcpClient tcp)
    {
        tcp.Client.LingerState = new LingerOption(true, 0);
        tcp.Close();
    }

    private static async Task WriteChunk(NetworkStream stream, byte[] chunk)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
        await stream.WriteAsync(chunk);
        await stream.WriteAsync("\r\n"u8.ToArray());
    }

    private static string Dechunk(string body)
    {
        var text = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[position..lineEnd], 16);
            if (size == 0)
            {
                return text.ToString();
            }

            text.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
