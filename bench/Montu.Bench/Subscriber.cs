using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace Montu.Bench;

/// <summary>One message a <see cref="Subscriber"/> received, stamped when its last byte arrived.</summary>
public readonly record struct Received(long At, byte[] Message);

/// <summary>
/// One <see cref="ClientWebSocket"/> on a channel, connected and past its <c>ready</c>. Its receive
/// loop only stamps and keeps each message: parsing waits until the run is over, so that 500 of them
/// on one core add as little as possible to the delivery times they measure.
/// </summary>
public sealed class Subscriber : IAsyncDisposable
{
    private const int BufferBytes = 64 * 1024;
    private readonly ClientWebSocket _socket;
    private readonly List<Received> _received = [];
    private readonly SemaphoreSlim _sending = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private int _count;
    private volatile bool _closing;

    private Subscriber(ClientWebSocket socket) => _socket = socket;

    /// <summary>Messages received so far, <c>ready</c> left out.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Every message after <c>ready</c>; read it once the socket is closed.</summary>
    public IReadOnlyList<Received> Messages => _received;

    /// <summary>How the socket ended before the harness closed it (the server closed it, or the connection broke), or null.</summary>
    public string? EndedEarly { get; private set; }

    /// <summary>Connects to <paramref name="path"/> with the token in the query, and waits for <c>ready</c>.</summary>
    public static async Task<Subscriber> ConnectAsync(ServerProcess server, string path, string token)
    {
        var socket = new ClientWebSocket();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}{path}?token={Uri.EscapeDataString(token)}"), timeout.Token);
            var buffer = new byte[BufferBytes];
            var first = await socket.ReceiveAsync(buffer, timeout.Token);
            using var ready = JsonDocument.Parse(buffer.AsMemory(0, first.Count));
            if (!first.EndOfMessage || ready.RootElement.GetProperty("type").GetString() != "ready")
            {
                throw new InvalidOperationException($"{path}: expected ready, got {System.Text.Encoding.UTF8.GetString(buffer, 0, first.Count)}");
            }

            var subscriber = new Subscriber(socket);
            subscriber._receiving = subscriber.ReceiveAsync(buffer);
            return subscriber;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects <paramref name="count"/> sockets, a few at a time (a sign-in check and a database read
    /// each), so connecting them is not itself a burst the server queues for seconds.
    /// </summary>
    public static async Task<List<Subscriber>> ConnectManyAsync(ServerProcess server, string path, string token, int count)
    {
        const int AtOnce = 25;
        var subscribers = new List<Subscriber>(count);
        try
        {
            while (subscribers.Count < count)
            {
                subscribers.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(AtOnce, count - subscribers.Count))
                    .Select(_ => ConnectAsync(server, path, token))));
            }

            return subscribers;
        }
        catch
        {
            await CloseAllAsync(subscribers);
            throw;
        }
    }

    /// <summary>Sends <paramref name="message"/> as a JSON text message (one at a time per socket).</summary>
    public async Task SendAsync(object message)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    public static Task CloseAllAsync(IEnumerable<Subscriber> subscribers) => Task.WhenAll(subscribers.Select(s => s.DisposeAsync().AsTask()));

    /// <summary>Sends the close frame and waits (at most 5 s) for the server's, which ends the receive loop.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_receiving.IsCompleted)
        {
            _closing = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                await _receiving.WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }

        _socket.Dispose();
        _sending.Dispose();
    }

    private async Task ReceiveAsync(byte[] buffer)
    {
        try
        {
            while (true)
            {
                var filled = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                    filled += received.Count;
                }
                while (!received.EndOfMessage && filled < buffer.Length);

                var at = Stopwatch.GetTimestamp();
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    if (!_closing)
                    {
                        EndedEarly = $"closed by the server with {(int?)_socket.CloseStatus} {_socket.CloseStatusDescription}";
                    }

                    return;
                }

                _received.Add(new Received(at, buffer[..filled]));
                Interlocked.Increment(ref _count);
            }
        }
        catch (WebSocketException e)
        {
            EndedEarly ??= _closing ? null : "connection lost: " + e.Message;
        }
    }
}
