using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Media;

namespace Montu.Server.Features.Playlists;

/// <summary>The SQL of share links, and what a link's playlist shows.</summary>
public sealed class PlaylistShareQueries(Db db, MediaQueries media)
{
    private const string Columns = """
        id, playlist_id, project_id, token_hash, allow_annotations, guest_name, created_by, created_at, expires_at, revoked_at, revoked_by
        """;

    public Task InsertAsync(DbTransaction tx, PlaylistShareRow row, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO playlist_shares ({Columns})
            VALUES (@Id, @PlaylistId, @ProjectId, @TokenHash, @AllowAnnotations, @GuestName, @CreatedBy, @CreatedAt, @ExpiresAt, @RevokedAt, @RevokedBy)
            """, row, tx, cancellationToken: ct));

    /// <summary>The playlist's links that still work at <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<PlaylistShareRow>> ActiveAsync(string playlistId, DateTime now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<PlaylistShareRow>(new CommandDefinition($"""
            SELECT {Columns} FROM playlist_shares
            WHERE playlist_id = @playlistId AND revoked_at IS NULL AND expires_at > @now ORDER BY created_at, id
            """, new { playlistId, now }, cancellationToken: ct))).ToList();
    }

    /// <summary>The playlist's link named by its id or by the hash of its token, locked until the transaction ends.</summary>
    public Task<PlaylistShareRow?> FindForUpdateAsync(DbTransaction tx, string playlistId, string id, string tokenHash, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<PlaylistShareRow>(new CommandDefinition($"""
            SELECT {Columns} FROM playlist_shares WHERE playlist_id = @playlistId AND (id = @id OR token_hash = @tokenHash)
            {(db.Dialect.Engine == DbEngine.Postgres ? "FOR UPDATE" : "")}
            """, new { playlistId, id, tokenHash }, tx, cancellationToken: ct));

    public static SqlStatement Revoke(PlaylistShareRow row) =>
        new("UPDATE playlist_shares SET revoked_at = @RevokedAt, revoked_by = @RevokedBy WHERE id = @Id", row);

    /// <summary>The link whose token hashes to <paramref name="tokenHash"/>, unless it is revoked or its playlist archived.</summary>
    public async Task<PlaylistShareRow?> LiveByTokenAsync(string tokenHash, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PlaylistShareRow>(new CommandDefinition($"""
            SELECT {string.Join(", ", Columns.Split(',').Select(c => "s." + c.Trim()))}
            FROM playlist_shares s JOIN playlists p ON p.id = s.playlist_id
            WHERE s.token_hash = @tokenHash AND s.revoked_at IS NULL AND p.status <> '{PlaylistRules.Archived}'
            """, new { tokenHash }, cancellationToken: ct));
    }

    /// <summary>
    /// Whether the playlist shows <paramref name="mediaId"/>: an item pins it (or followed its task
    /// when added), or follows its task and it is that task's newest version.
    /// </summary>
    public async Task<bool> ShowsMediaAsync(string playlistId, string mediaId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var items = (await connection.QueryAsync<PlaylistItemRow>(new CommandDefinition("""
            SELECT media_id, task_id, follow_latest FROM playlist_items
            WHERE playlist_id = @playlistId AND (media_id = @mediaId OR task_id IN (SELECT task_id FROM media WHERE id = @mediaId))
            """, new { playlistId, mediaId }, cancellationToken: ct))).ToList();
        if (items.Any(i => i.MediaId == mediaId))
        {
            return true;
        }

        var followed = items.Where(i => i.FollowLatest && i.TaskId is not null).Select(i => i.TaskId!).Distinct(StringComparer.Ordinal).ToList();
        return (await media.NewestOfTasksAsync(connection, null, followed, ct)).Any(m => m.Id == mediaId);
    }

    /// <summary>The media version an annotation is on, or null for no such annotation.</summary>
    public async Task<string?> MediaOfAnnotationAsync(string annotationId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT media_id FROM annotations WHERE id = @annotationId", new { annotationId }, cancellationToken: ct));
    }
}

/// <summary>A share link as stored: the hash of its token, never the token.</summary>
public sealed class PlaylistShareRow
{
    public string Id { get; set; } = "";

    public string PlaylistId { get; set; } = "";

    public string ProjectId { get; set; } = "";

    public string TokenHash { get; set; } = "";

    public bool AllowAnnotations { get; set; }

    public string GuestName { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    public PlaylistShare ToShare() => new(Id, PlaylistId, Utc(ExpiresAt), AllowAnnotations, GuestName, CreatedBy, Utc(CreatedAt));

    public static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
