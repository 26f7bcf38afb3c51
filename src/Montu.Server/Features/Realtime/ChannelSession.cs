using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Realtime;

/// <summary>How a socket ends: a WebSocket close status (4xxx are Montu's) and the reason sent with it.</summary>
public readonly record struct SocketEnd(int Code, string Reason)
{
    public static readonly SocketEnd ClientClosed = new((int)WebSocketCloseStatus.NormalClosure, "");
    public static readonly SocketEnd ShuttingDown = new((int)WebSocketCloseStatus.EndpointUnavailable, "The server is shutting down");
    public static readonly SocketEnd SessionEnded = new(4401, "Your session has ended or its token expired: sign in again");
    public static readonly SocketEnd ResyncRequired = new(4409, "Resynchronise: reload, then reconnect with since");
    public static readonly SocketEnd FellBehind = new(4409, "This client fell behind: reconnect");
}

/// <summary>
/// One connected socket, from its replay to its close: it sends the events its channel carries
/// in sequence order, exactly once, checking before each delivery (and twice a second when idle)
/// that its caller may still see them; it answers the client's pings, token renewals and
/// mistakes. Sends are serialised, since a socket takes one send at a time. A socket with an
/// <see cref="ISocketConversation"/> also carries its messages, and forwards only the events it
/// chooses.
/// </summary>
public sealed partial class ChannelSession(
    EventFanOut fanOut, EventQueries events, EventLogHead head, SocketTokens tokens, TimeProvider time,
    IOptions<RealtimeOptions> options, IHostApplicationLifetime lifetime, ILogger<ChannelSession> logger)
{
    private const int ReplayPage = 500;

    /// <summary>Never completes: what a socket without a conversation waits on for its messages.</summary>
    private static readonly TaskCompletionSource<bool> Silent = new();
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    private EventFanOut FanOut { get; } = fanOut;

    private EventQueries Events { get; } = events;

    private EventLogHead Head { get; } = head;

    private SocketTokens Tokens { get; } = tokens;

    private TimeProvider Time { get; } = time;

    private RealtimeOptions Options { get; } = options.Value;

    private CancellationToken Stopping { get; } = lifetime.ApplicationStopping;

    /// <summary>Runs the socket until it ends; returns how it ended.</summary>
    public async Task<SocketEnd> RunAsync(
        WebSocket socket, ChannelScope scope, JsonWebToken token, long? since, bool legacy, string requestId, CancellationToken aborted, ISocketConversation? conversation = null)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(aborted, Stopping);
        using var live = new Live(socket, scope, token, legacy, requestId, conversation, this);
        var end = await live.RunAsync(since, stopping.Token);
        await live.CloseAsync(end);
        LogSocketEnded(logger, scope.Kind, scope.ProjectId ?? scope.UserId, end.Code);
        return end;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket on {Kind} {Id} ended with {Code}")]
    private static partial void LogSocketEnded(ILogger logger, ChannelKind kind, string? id, int code);

    private sealed class Live(
        WebSocket socket, ChannelScope scope, JsonWebToken token, bool legacy, string requestId, ISocketConversation? conversation, ChannelSession owner) : IDisposable
    {
        private readonly SemaphoreSlim _sending = new(1, 1);
        private readonly RealtimeOptions _options = owner.Options;
        private JsonWebToken _token = token;
        private SocketEnd? _clientEnd;
        private Task _receiving = Task.CompletedTask;

        public void Dispose() => _sending.Dispose();

        public async Task<SocketEnd> RunAsync(long? since, CancellationToken ct)
        {
            var subscription = new Subscription(scope, _options.QueueLength);
            using (owner.FanOut.Subscribe(subscription))
            {
                try
                {
                    // Everything up to here is replayed from the log; everything after comes live.
                    var through = await owner.Events.LatestAsync(ct);
                    if (since is { } after)
                    {
                        var pruned = await owner.Events.PrunedThroughAsync(ct);
                        if (after < pruned || after > through)
                        {
                            await SendAsync(SocketMessages.ResyncRequired(through, pruned + 1, legacy), ct);
                            return SocketEnd.ResyncRequired;
                        }

                        if (await ReplayAsync(after, through, ct) is { } refused)
                        {
                            return refused;
                        }
                    }

                    await SendAsync(SocketMessages.Ready(through, legacy), ct);
                    _receiving = ReceiveAsync(ct);
                    var end = await DeliverAsync(subscription, through, ct);
                    return _clientEnd ?? end;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return owner.Stopping.IsCancellationRequested ? SocketEnd.ShuttingDown : SocketEnd.ClientClosed;
                }
                catch (WebSocketException)
                {
                    return SocketEnd.ClientClosed;
                }
            }
        }

        /// <summary>Sends the close frame (answering the client's, when it closed first) and gives the client a moment to answer it.</summary>
        public async Task CloseAsync(SocketEnd end)
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseWait);
                try
                {
                    await _sending.WaitAsync(timeout.Token);
                    await socket.CloseOutputAsync((WebSocketCloseStatus)end.Code, end.Reason, timeout.Token);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                {
                    socket.Abort();
                }
            }

            await Task.WhenAny(_receiving, Task.Delay(CloseWait));
        }

        private async Task<SocketEnd?> ReplayAsync(long after, long through, CancellationToken ct)
        {
            while (true)
            {
                if (await RefusalAsync(ct) is { } refused)
                {
                    return refused;
                }

                var rows = await owner.Events.AfterAsync(after, through, scope.LogProjectId, ReplayPage, ct);
                foreach (var row in rows)
                {
                    var logged = new LoggedEvent(row);
                    if (scope.Carries(logged))
                    {
                        await SendAsync(legacy ? logged.LegacyMessage : logged.Message, ct);
                    }

                    after = row.Seq;
                }

                if (rows.Count < ReplayPage)
                {
                    return null;
                }
            }
        }

        private async Task<SocketEnd> DeliverAsync(Subscription subscription, long cursor, CancellationToken ct)
        {
            Task<bool>? waiting = null;
            Task<bool>? talking = null;
            while (true)
            {
                waiting ??= subscription.Events.WaitToReadAsync(ct).AsTask();
                // Without a conversation there is nothing to wait for: a task that never ends, not a finished one (which would spin the loop).
                talking ??= conversation?.Outgoing.WaitToReadAsync(ct).AsTask() ?? Silent.Task;
                await Task.WhenAny(waiting, talking, _receiving, Task.Delay(_options.AccessCheck, ct));
                ct.ThrowIfCancellationRequested();
                if (_clientEnd is { } clientEnd)
                {
                    return clientEnd;
                }

                if (await RefusalAsync(ct) is { } refused)
                {
                    return refused;
                }

                if (subscription.Overflowed)
                {
                    await SendAsync(SocketMessages.ResyncRequired(cursor, await owner.Events.PrunedThroughAsync(ct) + 1, legacy), ct);
                    return SocketEnd.ResyncRequired;
                }

                if (conversation is not null)
                {
                    if (conversation.Overflowed)
                    {
                        return SocketEnd.FellBehind;
                    }

                    if (talking.IsCompleted)
                    {
                        // False only once the conversation has ended its queue: nothing more will come.
                        talking = talking.Result ? null : Silent.Task;
                        while (conversation.Outgoing.TryRead(out var message))
                        {
                            await SendAsync(message, ct);
                        }
                    }
                }

                if (!waiting.IsCompleted)
                {
                    continue;
                }

                waiting = null;
                while (subscription.Events.TryRead(out var logged))
                {
                    // Events the replay already sent come again from the fan-out: skip them.
                    if (logged.Seq > cursor)
                    {
                        cursor = logged.Seq;
                        if (conversation is null || await conversation.ForwardsAsync(logged, ct))
                        {
                            await SendAsync(legacy ? logged.LegacyMessage : logged.Message, ct);
                        }
                    }
                }
            }
        }

        /// <summary>Why the caller may no longer receive this channel, or null while they may.</summary>
        private async ValueTask<SocketEnd?> RefusalAsync(CancellationToken ct)
        {
            if (await owner.Tokens.AdmitAsync(Volatile.Read(ref _token), ct) is not { } caller)
            {
                return SocketEnd.SessionEnded;
            }

            return scope.Kind != ChannelKind.Notifications && scope.ProjectId is { } projectId && !ProjectAccess.Can(caller, projectId, ProjectPermission.Read)
                ? new SocketEnd(4403, $"You can no longer read project {projectId}")
                : null;
        }

        private async Task ReceiveAsync(CancellationToken ct)
        {
            var buffer = new byte[_options.MaxClientMessageBytes];
            try
            {
                while (true)
                {
                    var filled = 0;
                    ValueWebSocketReceiveResult received;
                    do
                    {
                        if (filled == buffer.Length)
                        {
                            _clientEnd = new SocketEnd((int)WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {buffer.Length} bytes");
                            return;
                        }

                        // Not cancelled by ct: a cancelled receive aborts the socket, and the close frame could not be sent.
                        // The receive ends with the client's close, or when the socket is disposed after ours.
                        received = await socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                        filled += received.Count;
                    }
                    while (!received.EndOfMessage);

                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        _clientEnd = SocketEnd.ClientClosed;
                        return;
                    }

                    await AnswerAsync(buffer.AsMemory(0, filled), received.MessageType, ct);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                _clientEnd ??= SocketEnd.ClientClosed;
            }
        }

        private async Task AnswerAsync(ReadOnlyMemory<byte> message, WebSocketMessageType kind, CancellationToken ct)
        {
            using var json = kind == WebSocketMessageType.Text ? Parse(message) : null;
            var root = json?.RootElement;
            var type = root is { } r && r.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var renewal = root is { } o && o.TryGetProperty("token", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            switch (type)
            {
                case "ping":
                    await SendAsync(SocketMessages.Pong(await owner.Head.CurrentAsync(null, ct), legacy), ct);
                    break;
                case "auth" when renewal is not null:
                    await RenewAsync(renewal, ct);
                    break;
                case "auth":
                    await ErrorAsync(ErrorCodes.Validation, "An auth message carries the new access token in \"token\"", ct);
                    break;
                case not null when conversation is not null && conversation.Vocabulary.Contains(type):
                    if (await conversation.AnswerAsync(type, root!.Value, ct) is { } refusal)
                    {
                        await ErrorAsync(refusal.Code, refusal.Message, ct);
                    }

                    break;
                default:
                    var types = (string[])["ping", "auth", .. conversation?.Vocabulary ?? []];
                    await ErrorAsync(ErrorCodes.Validation, $"Send JSON text messages of type {string.Join(", ", types.Select(name => $"\"{name}\""))}", ct);
                    break;
            }
        }

        private async Task RenewAsync(string renewal, CancellationToken ct)
        {
            if (await owner.Tokens.VerifyAsync(renewal, ct) is not var (verified, caller))
            {
                await ErrorAsync(ErrorCodes.Unauthorized, "That token is not valid: the socket keeps its current one until it expires", ct);
            }
            else if (caller.UserId != Volatile.Read(ref _token).Subject)
            {
                await ErrorAsync(ErrorCodes.Forbidden, "A socket stays with the user who opened it: open a new one for another user", ct);
            }
            else
            {
                Volatile.Write(ref _token, verified);
                await SendAsync(SocketMessages.Authenticated(await owner.Head.CurrentAsync(null, ct), caller.ExpiresAt, legacy), ct);
            }
        }

        private Task ErrorAsync(string code, string message, CancellationToken ct) =>
            SendAsync(SocketMessages.Error(code, message, requestId, owner.Time.GetUtcNow(), legacy), ct);

        private async Task SendAsync(byte[] message, CancellationToken ct)
        {
            await _sending.WaitAsync(ct);
            try
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, ct);
            }
            finally
            {
                _sending.Release();
            }
        }

        /// <summary>The client's message when it is a JSON object, else null.</summary>
        private static JsonDocument? Parse(ReadOnlyMemory<byte> message)
        {
            try
            {
                var json = JsonDocument.Parse(message);
                if (json.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return json;
                }

                json.Dispose();
                return null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
