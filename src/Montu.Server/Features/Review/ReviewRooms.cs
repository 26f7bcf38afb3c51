namespace Montu.Server.Features.Review;

/// <summary>
/// The live review rooms of this process, one per playlist under review, made on the first join
/// and forgotten when the last participant leaves. Rooms live in one process: several instances
/// route a playlist's sockets to the same one (see the deployment notes).
/// </summary>
public sealed class ReviewRooms(ReviewPlaylists playlists)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ReviewRoom> _rooms = new(StringComparer.Ordinal);

    public async Task<ReviewRoom> JoinAsync(string playlistId, ReviewParticipant participant, CancellationToken ct)
    {
        ReviewRoom? room;
        lock (_gate)
        {
            _rooms.TryGetValue(playlistId, out room);
        }

        if (room is null)
        {
            room = new ReviewRoom(playlistId, playlists);
            await room.LoadAsync(ct);
        }

        lock (_gate)
        {
            // Found again and joined under the registry's gate: a room that emptied meanwhile is
            // forgotten, and a room someone else made meanwhile is the one to join.
            if (_rooms.TryGetValue(playlistId, out var current))
            {
                room = current;
            }
            else
            {
                _rooms[playlistId] = room;
            }

            room.Join(participant);
        }

        return room;
    }

    public void Leave(ReviewRoom room, ReviewParticipant participant)
    {
        lock (_gate)
        {
            room.Leave(participant);
            if (room.IsEmpty && _rooms.TryGetValue(room.PlaylistId, out var current) && current == room)
            {
                _rooms.Remove(room.PlaylistId);
            }
        }
    }
}
