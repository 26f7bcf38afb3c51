using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Montu.Server.Tests;

/// <summary>A real WebSocket to a channel of the test server, reading its JSON messages one at a time.</summary>
public sealed class TestSocket(WebSocket socket) : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public WebSocket Socket => socket;

    /// <summary>Connects to <paramref name="path"/> (query included) with <paramref name="token"/> as <c>?token=</c>.</summary>
    public static async Task<TestSocket> ConnectAsync<T>(WebApplicationFactory<T> app, string path, string token, Action<Microsoft.AspNetCore.Http.HttpRequest>? configure = null)
        where T : class
    {
        var client = app.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => configure?.Invoke(request);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var uri = new Uri(app.Server.BaseAddress, $"{path}{separator}token={Uri.EscapeDataString(token)}");
        return new TestSocket(await client.ConnectAsync(new Uri($"ws://{uri.Authority}{uri.PathAndQuery}"), CancellationToken.None));
    }

    /// <summary>The next message; fails when none comes within ten seconds or the socket closes.</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        var message = await ReceiveOrCloseAsync();
        Assert.True(message is not null, $"The socket closed: {socket.CloseStatus} {socket.CloseStatusDescription}");
        return message.Value;
    }

    /// <summary>The next message of <paramref name="type"/>, skipping others.</summary>
    public async Task<JsonElement> ReceiveAsync(string type)
    {
        while (true)
        {
            var message = await ReceiveAsync();
            if (message.Str("type") == type)
            {
                return message;
            }
        }
    }

    /// <summary>The next message, or null when the server closed the socket (its status is then in <see cref="CloseStatus"/>).</summary>
    public async Task<JsonElement?> ReceiveOrCloseAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[1 << 20];
        var filled = 0;
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(filled), timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            filled += received.Count;
            if (received.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.AsMemory(0, filled)).RootElement.Clone();
            }
        }
    }

    /// <summary>Reads until the server closes, and returns the close status.</summary>
    public async Task<int> ClosedAsync()
    {
        while (await ReceiveOrCloseAsync() is not null)
        {
        }

        return (int)socket.CloseStatus!.Value;
    }

    public int? CloseStatus => (int?)socket.CloseStatus;

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        socket.Dispose();
    }
}
