using System.Text.Json;
using System.Threading.Channels;
using Montu.Server.Features.Realtime;

namespace Montu.Server.Features.Review;

/// <summary>
/// One socket in a live review: the user behind it, the name they joined with, and the queue of
/// messages on their way to them. Pointer messages are dropped when the queue is full (the next
/// one replaces them); losing presence or state would leave the client out of step, so that ends
/// the socket (4409) instead and the client reconnects to the current state.
/// </summary>
public sealed class ReviewParticipant(string userId, ReviewRooms rooms, string playlistId) : ISocketConversation
{
    private const int QueueLength = 256;

    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(QueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private ReviewRoom? _room;
    private volatile bool _gone;

    public string UserId => userId;

    private string? _name;

    /// <summary>The name given when joining; the user id until then.</summary>
    public string Name => _name ?? userId;

    public ChannelReader<byte[]> Outgoing => _queue.Reader;

    public bool Overflowed { get; private set; }

    public IReadOnlyList<string> Vocabulary => ReviewMessages.ClientTypes;

    public void Offer(byte[] message, bool droppable = false)
    {
        if (!_queue.Writer.TryWrite(message) && !droppable && !Overflowed)
        {
            Overflowed = true;
            _queue.Writer.TryComplete();
        }
    }

    public ValueTask<bool> ForwardsAsync(LoggedEvent logged, CancellationToken ct) =>
        _room is { } room ? room.ForwardsAsync(logged, ct) : ValueTask.FromResult(false);

    public async ValueTask<SocketRefusal?> AnswerAsync(string type, JsonElement message, CancellationToken ct)
    {
        SocketRefusal? refusal;
        if (type == "join")
        {
            if (_room is not null)
            {
                return ReviewMessages.Invalid("You have already joined this session");
            }

            if (ReviewMessages.Name(message, out refusal) is not { } name)
            {
                return refusal;
            }

            _name = name;
            _room = await rooms.JoinAsync(playlistId, this, ct);
            if (_gone)
            {
                // The socket ended while joining: do not stay in the room as a ghost.
                rooms.Leave(_room, this);
            }

            return null;
        }

        if (_room is not { } room)
        {
            return ReviewMessages.Invalid("Join the session first: {\"type\": \"join\", \"name\": \"...\"}");
        }

        return type switch
        {
            "state" => ReviewMessages.State(message, out refusal) is { } state ? await room.PlayAsync(this, state, ct) : refusal,
            "pointer" => ReviewMessages.Pointer(message, out refusal) is var (x, y) ? room.Point(this, x, y) : refusal,
            _ => ReviewMessages.HandoverTarget(message, out refusal) is { } to ? room.HandOver(this, to) : refusal,
        };
    }

    public void Dispose()
    {
        _gone = true;
        if (_room is { } room)
        {
            rooms.Leave(room, this);
        }

        _queue.Writer.TryComplete();
    }
}
