using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Montu.Server.Tests;

/// <summary>
/// Sends a request body in chunks without a <c>Content-Length</c>, as a streaming client does,
/// straight over a socket to a <see cref="KestrelTestApp"/>, and reads the answer. The body
/// is left unfinished, so the server must refuse it from what it has read.
/// </summary>
public static class RawHttp
{
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
