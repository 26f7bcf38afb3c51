using Montu.Server.Data;
using Montu.Server.Features.Playlists;

namespace Montu.Server.Features.Review;

/// <summary>What a live review reads of its playlist: its project, and the media version each item shows now.</summary>
public sealed class ReviewPlaylists(Db db, PlaylistQueries playlists, PlaylistReader reader)
{
    public Task<string?> ProjectIdOfAsync(string playlistId, CancellationToken ct) => playlists.ProjectIdOfAsync(playlistId, ct);

    /// <summary>Each item's shown media id, by item id; an item whose version was deleted shows none and is left out.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ShownMediaAsync(string playlistId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var items = await playlists.ItemsAsync(connection, null, playlistId, ct);
        var shown = await reader.ShownAsync(connection, null, items, ct);
        return shown.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value!.Id, StringComparer.Ordinal);
    }
}
