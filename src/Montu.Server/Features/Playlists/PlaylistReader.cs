using System.Data.Common;
using Montu.Server.Data;
using Montu.Server.Features.Media;

namespace Montu.Server.Features.Playlists;

/// <summary>
/// A playlist as clients see it: its items in order, each with its media version in full. An item
/// following its task shows the task's newest version at the time of reading.
/// </summary>
public sealed class PlaylistReader(Db db, PlaylistQueries playlists, MediaQueries media)
{
    public async Task<Playlist?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await playlists.FindAsync(connection, id, ct) is { } row ? await ReadAsync(connection, null, row, ct) : null;
    }

    /// <summary>The playlist with its items, read on <paramref name="connection"/> (inside a write's transaction when it is given).</summary>
    public async Task<Playlist> ReadAsync(DbConnection connection, DbTransaction? tx, PlaylistRow row, CancellationToken ct)
    {
        var items = await playlists.ItemsAsync(connection, tx, row.Id, ct);
        var shown = await ShownAsync(connection, tx, items, ct);
        return row.ToPlaylist(items.Select(item => ToItem(item, shown)).ToList());
    }

    /// <summary>
    /// The version each item shows, by item id: the pinned one, or the followed task's newest (the
    /// stored one when the task has none left). Null when that version has been deleted.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, MediaRow?>> ShownAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<PlaylistItemRow> items, CancellationToken ct)
    {
        var followed = items.Where(i => i.FollowLatest && i.TaskId is not null).Select(i => i.TaskId!).Distinct(StringComparer.Ordinal).ToList();
        var newest = (await media.NewestOfTasksAsync(connection, tx, followed, ct)).ToDictionary(m => m.TaskId!, StringComparer.Ordinal);
        var pinned = items.Where(i => !(i.FollowLatest && i.TaskId is not null && newest.ContainsKey(i.TaskId))).Select(i => i.MediaId).Distinct(StringComparer.Ordinal).ToList();
        var byId = (await media.FindManyAsync(connection, tx, pinned, ct)).ToDictionary(m => m.Id, StringComparer.Ordinal);
        return items.ToDictionary(
            i => i.Id,
            i => i.FollowLatest && i.TaskId is not null && newest.TryGetValue(i.TaskId, out var latest) ? latest : byId.GetValueOrDefault(i.MediaId),
            StringComparer.Ordinal);
    }

    private static PlaylistItem ToItem(PlaylistItemRow item, IReadOnlyDictionary<string, MediaRow?> shown)
    {
        var version = shown[item.Id];
        return new PlaylistItem(item.Id, version?.Id ?? item.MediaId, item.TaskId, item.FollowLatest, item.Position, item.Decision, item.DecisionNotes, version?.ToItem());
    }
}
