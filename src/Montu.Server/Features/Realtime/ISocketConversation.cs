using System.Text.Json;
using System.Threading.Channels;

namespace Montu.Server.Features.Realtime;

/// <summary>A client message a conversation refuses: sent back as an error message, the socket stays open.</summary>
public sealed record SocketRefusal(string Code, string Message);

/// <summary>
/// What a channel carries besides the event log: the messages its clients exchange among
/// themselves (a live review's presence, play state and pointers). The socket sends the
/// conversation's outgoing messages between events, hands it the client messages it does not
/// know itself, and asks it which of its channel's events to forward. Disposing it leaves the
/// conversation.
/// </summary>
public interface ISocketConversation : IDisposable
{
    /// <summary>Messages for this socket's client, each already encoded.</summary>
    ChannelReader<byte[]> Outgoing { get; }

    /// <summary>True once the client fell so far behind that messages it must not miss were dropped; the socket then ends with 4409.</summary>
    bool Overflowed { get; }

    /// <summary>The client message types it answers, for the error a client gets for an unknown one.</summary>
    IReadOnlyList<string> Vocabulary { get; }

    ValueTask<bool> ForwardsAsync(LoggedEvent logged, CancellationToken ct);

    /// <summary>Acts on a client message of one of <see cref="Vocabulary"/>'s types; a refusal is sent back as an error.</summary>
    ValueTask<SocketRefusal?> AnswerAsync(string type, JsonElement message, CancellationToken ct);
}
