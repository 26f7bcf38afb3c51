using System.Threading.Channels;

namespace Montu.Server.Features.Realtime;

/// <summary>
/// One socket's place in the fan-out: the events its channel carries wait here, in sequence
/// order, until the socket sends them. The queue is bounded so that a client that stops reading
/// costs a fixed amount of memory and never slows anyone else: when it is full the subscription
/// ends as <see cref="Overflowed"/>, and the socket tells its client to resynchronise.
/// </summary>
public sealed class Subscription(ChannelScope scope, int capacity)
{
    private readonly Channel<LoggedEvent> _queue = Channel.CreateBounded<LoggedEvent>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelScope Scope => scope;

    public bool Overflowed { get; private set; }

    public ChannelReader<LoggedEvent> Events => _queue.Reader;

    /// <summary>Called by the fan-out only, one event at a time.</summary>
    public void Offer(LoggedEvent logged)
    {
        if (!_queue.Writer.TryWrite(logged) && !Overflowed)
        {
            Overflowed = true;
            _queue.Writer.TryComplete();
        }
    }
}
