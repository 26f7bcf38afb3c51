using Microsoft.Extensions.Options;
using Montu.Server.Data;

namespace Montu.Server.Features.Realtime;

/// <summary>
/// The live tail of the event log. Each new event is read once, in sequence order, as soon as
/// the log's head moves (a commit in this process, or another instance's, announced by
/// PostgreSQL's NOTIFY), and offered to every subscription whose channel carries it. Sequence
/// order is commit order (appends hold the event-log lock until commit), so reading everything
/// after the last sequence read never skips an event that commits later.
/// </summary>
public sealed partial class EventFanOut(EventQueries events, EventLogHead head, IOptions<RealtimeOptions> options, ILogger<EventFanOut> logger)
    : BackgroundService
{
    private const int Page = 500;
    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];
    private long _position;

    /// <summary>The sequence of the newest event offered to the subscriptions: the head minus this is the live channels' lag.</summary>
    public long Delivered => Volatile.Read(ref _position);

    /// <summary>Starts offering events to <paramref name="subscription"/>; disposing the result stops it.</summary>
    public IDisposable Subscribe(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return new Unsubscriber(this, subscription);
    }

    /// <summary>
    /// Takes the log's head before the server takes requests: a socket reads its own starting point
    /// after subscribing, so every later event must come through here.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _position = await events.LatestAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var position = Volatile.Read(ref _position);
        while (!stoppingToken.IsCancellationRequested)
        {
            var moved = head.NextMove;
            try
            {
                var rows = await events.AfterAsync(position, null, null, Page, stoppingToken);
                foreach (var row in rows)
                {
                    Dispatch(row);
                    position = row.Seq;
                }

                Volatile.Write(ref _position, position);

                if (rows.Count == Page)
                {
                    continue;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogReadFailed(logger, e.Message);
            }

            // Without the listener (PostgreSQL reconnecting) other instances' commits go unheard: look often.
            var poll = head.HearsEveryChange ? options.Value.IdlePoll : options.Value.UnheardPoll;
            await Task.WhenAny(moved, Task.Delay(poll, stoppingToken));
        }
    }

    private void Dispatch(EventRow row)
    {
        var subscriptions = Volatile.Read(ref _subscriptions);
        if (subscriptions.Length == 0)
        {
            return;
        }

        var logged = new LoggedEvent(row);
        foreach (var subscription in subscriptions)
        {
            if (subscription.Scope.Carries(logged))
            {
                subscription.Offer(logged);
            }
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the event log for live delivery; retrying: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string reason);

    private sealed class Unsubscriber(EventFanOut fanOut, Subscription subscription) : IDisposable
    {
        public void Dispose() => fanOut.Unsubscribe(subscription);
    }
}
