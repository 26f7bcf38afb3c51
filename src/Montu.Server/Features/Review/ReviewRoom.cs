using Montu.Server.Features.Realtime;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Review;

/// <summary>
/// The live review of one playlist in this process: who is in it (in the order they joined), who
/// presents, the latest play state (given at once to whoever joins late), and which media the
/// playlist shows, so that only those media's annotation events reach the room. The first to join
/// presents until they hand over or leave; then whoever has been in the room longest presents.
/// </summary>
public sealed class ReviewRoom(string playlistId, ReviewPlaylists playlists)
{
    private readonly Lock _gate = new();
    private readonly List<ReviewParticipant> _participants = [];
    private ReviewParticipant? _presenter;
    private byte[]? _state;
    private PlaylistView _view = PlaylistView.Unread;
    private Task _reading = Task.CompletedTask;
    private long _readFor = -1;

    public string PlaylistId => playlistId;

    /// <summary>True when nobody is left; the registry then forgets the room.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _participants.Count == 0;
            }
        }
    }

    public Task LoadAsync(CancellationToken ct) => RefreshAsync(null, ct);

    public void Join(ReviewParticipant participant)
    {
        lock (_gate)
        {
            _participants.Add(participant);
            _presenter ??= participant;
            Broadcast(ReviewMessages.Presence(_participants, _presenter));
            if (_state is { } state)
            {
                participant.Offer(state);
            }
        }
    }

    public void Leave(ReviewParticipant participant)
    {
        lock (_gate)
        {
            if (!_participants.Remove(participant))
            {
                return;
            }

            if (_presenter == participant)
            {
                _presenter = _participants.FirstOrDefault();
            }

            Broadcast(ReviewMessages.Presence(_participants, _presenter));
        }
    }

    public async ValueTask<SocketRefusal?> PlayAsync(ReviewParticipant from, PlayState state, CancellationToken ct)
    {
        if (!IsPresenter(from))
        {
            return NotPresenter();
        }

        // An item added since the room last read the playlist is found by reading it again.
        if (!_view.MediaByItem.ContainsKey(state.ItemId))
        {
            await RefreshAsync(null, ct);
            if (!_view.MediaByItem.ContainsKey(state.ItemId))
            {
                return ReviewMessages.Invalid($"Item {Quote.Of(state.ItemId)} is not in this playlist");
            }
        }

        lock (_gate)
        {
            if (_presenter != from)
            {
                return NotPresenter();
            }

            _state = ReviewMessages.State(state, from);
            Broadcast(_state, except: from);
            return null;
        }
    }

    public SocketRefusal? Point(ReviewParticipant from, double x, double y)
    {
        var message = ReviewMessages.Pointer(from, x, y);
        lock (_gate)
        {
            Broadcast(message, except: from, droppable: true);
        }

        return null;
    }

    public SocketRefusal? HandOver(ReviewParticipant from, string userId)
    {
        lock (_gate)
        {
            if (_presenter != from)
            {
                return NotPresenter();
            }

            if (_participants.FirstOrDefault(p => p.UserId == userId) is not { } next)
            {
                return new SocketRefusal(ErrorCodes.NotFound, $"User {Quote.Of(userId)} is not in this session");
            }

            _presenter = next;
            Broadcast(ReviewMessages.Presence(_participants, _presenter));
            return null;
        }
    }

    /// <summary>
    /// Whether a socket in this room sends <paramref name="logged"/>: the annotation events of the
    /// media the playlist shows, and the playlist's own events. A playlist or media event may
    /// change what it shows, so the room reads the playlist again, once for all its sockets.
    /// </summary>
    public async ValueTask<bool> ForwardsAsync(LoggedEvent logged, CancellationToken ct)
    {
        if (logged.Row.EntityType is "playlist" or "media")
        {
            await RefreshAsync(logged.Seq, ct);
            return logged.Row.EntityType == "playlist";
        }

        return logged.MediaId is { } mediaId && _view.Media.Contains(mediaId);
    }

    /// <summary>
    /// Reads the playlist again unless a read for event <paramref name="seq"/> (or a later one) is
    /// done or under way; null reads it now. Reads run one after another, so an older read never
    /// overwrites a newer one, and every socket of the room waits for the same read.
    /// </summary>
    private Task RefreshAsync(long? seq, CancellationToken ct)
    {
        lock (_gate)
        {
            if (seq is { } after && _readFor >= after)
            {
                return _reading.WaitAsync(ct);
            }

            _readFor = Math.Max(_readFor, seq ?? _readFor);
            _reading = ReadAfterAsync(_reading);
            return _reading.WaitAsync(ct);
        }
    }

    private async Task ReadAfterAsync(Task previous)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var shown = await playlists.ShownMediaAsync(playlistId, CancellationToken.None);
        _view = new PlaylistView(shown, [.. shown.Values]);
    }

    private bool IsPresenter(ReviewParticipant participant)
    {
        lock (_gate)
        {
            return _presenter == participant;
        }
    }

    private SocketRefusal NotPresenter() =>
        new(ErrorCodes.Forbidden, $"Only the presenter ({_presenter?.Name ?? "nobody"}) sends state and hands over: ask them to hand over to you");

    /// <summary>Called under the gate, so every socket gets the room's messages in one order.</summary>
    private void Broadcast(byte[] message, ReviewParticipant? except = null, bool droppable = false)
    {
        foreach (var participant in _participants)
        {
            if (participant != except)
            {
                participant.Offer(message, droppable);
            }
        }
    }

    /// <summary>What the playlist showed when the room last read it: each item's media.</summary>
    private sealed record PlaylistView(IReadOnlyDictionary<string, string> MediaByItem, HashSet<string> Media)
    {
        public static readonly PlaylistView Unread = new(new Dictionary<string, string>(), []);
    }
}
