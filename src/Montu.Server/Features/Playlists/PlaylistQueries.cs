using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Playlists;

/// <summary>The SQL the playlists feature owns.</summary>
public sealed class PlaylistQueries(Db db)
{

    private const string Columns = """
        id, project_id, name, description, review_date, created_by, status, closed_by, closed_at, revision, created_at, updated_at
        """;

    private const string ItemColumns = "id, playlist_id, media_id, task_id, follow_latest, position, decision, decision_notes, created_at";

    private readonly ProjectOfResource _projects = new(db, "playlists");

    private string ForUpdate => db.Dialect.Engine == DbEngine.Postgres ? "FOR UPDATE" : "";

    /// <summary>The project of a playlist, for access checks; remembered, since it never changes.</summary>
    public Task<string?> ProjectIdOfAsync(string id, CancellationToken ct) => _projects.LookUpAsync(id, ct);

    public Task<PlaylistRow?> FindAsync(DbConnection connection, string id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PlaylistRow>(new CommandDefinition($"SELECT {Columns} FROM playlists WHERE id = @id", new { id }, cancellationToken: ct));

    /// <summary>The playlist, locked until the transaction ends: every change to it or its items takes this lock first, so they are serialized.</summary>
    public Task<PlaylistRow?> FindForUpdateAsync(DbTransaction tx, string id, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<PlaylistRow>(new CommandDefinition(
            $"SELECT {Columns} FROM playlists WHERE id = @id {ForUpdate}", new { id }, tx, cancellationToken: ct));

    /// <summary>The items in playlist order.</summary>
    public async Task<List<PlaylistItemRow>> ItemsAsync(DbConnection connection, DbTransaction? tx, string playlistId, CancellationToken ct) =>
        (await connection.QueryAsync<PlaylistItemRow>(new CommandDefinition(
            $"SELECT {ItemColumns} FROM playlist_items WHERE playlist_id = @playlistId ORDER BY position, id", new { playlistId }, tx, cancellationToken: ct))).ToList();

    public Task InsertAsync(DbTransaction tx, PlaylistRow row, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO playlists ({Columns})
            VALUES (@Id, @ProjectId, @Name, @Description, @ReviewDate, @CreatedBy, @Status, @ClosedBy, @ClosedAt, @Revision, @CreatedAt, @UpdatedAt)
            """, row, tx, cancellationToken: ct));

    /// <summary>Writes everything of the playlist that changes: its details, status, revision and time.</summary>
    public static SqlStatement Save(PlaylistRow row) => new("""
        UPDATE playlists SET name = @Name, description = @Description, review_date = @ReviewDate, status = @Status,
                             closed_by = @ClosedBy, closed_at = @ClosedAt, revision = @Revision, updated_at = @UpdatedAt
        WHERE id = @Id
        """, row);

    public Task InsertItemAsync(DbTransaction tx, PlaylistItemRow item, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO playlist_items ({ItemColumns})
            VALUES (@Id, @PlaylistId, @MediaId, @TaskId, @FollowLatest, @Position, @Decision, @DecisionNotes, @CreatedAt)
            """, item, tx, cancellationToken: ct));

    /// <summary>Writes each item's version, position and decision; one statement per item, since a playlist holds at most a few hundred.</summary>
    public Task SaveItemsAsync(DbTransaction tx, IEnumerable<PlaylistItemRow> items, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("""
            UPDATE playlist_items SET media_id = @MediaId, follow_latest = @FollowLatest, position = @Position,
                                      decision = @Decision, decision_notes = @DecisionNotes
            WHERE id = @Id
            """, items.ToList(), tx, cancellationToken: ct));

    public Task DeleteItemAsync(DbTransaction tx, string id, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition("DELETE FROM playlist_items WHERE id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>One page of a playlist list and the total matching; one row beyond the page says whether more follow.</summary>
    public async Task<(IReadOnlyList<PlaylistRow> Items, long Total, bool HasMore)> ListAsync(
        PlaylistFilters filters, ReadableProjects readable, bool descending, PageRequest page, PlaylistCursor? after, CancellationToken ct)
    {
        var args = new DynamicParameters();
        var where = new List<string> { readable.SqlCondition("project_id", args, db.Dialect) };
        if (filters.ProjectId is not null)
        {
            where.Add("project_id = @projectId");
            args.Add("projectId", filters.ProjectId);
        }

        where.Add(filters.Status is null ? $"status <> '{PlaylistRules.Archived}'" : "status = @status");
        args.Add("status", filters.Status);
        var filter = string.Join(" AND ", where);
        if (after is not null)
        {
            where.Add($"(created_at, id) {(descending ? "<" : ">")} (@afterCreated, @afterId)");
            args.Add("afterCreated", after.CreatedAt);
            args.Add("afterId", after.Id);
        }

        var direction = descending ? "DESC" : "ASC";
        args.Add("limit", page.PageSize + 1);
        args.Add("offset", after is null ? page.Offset : 0);
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM playlists WHERE {filter}", args, cancellationToken: ct));
        var rows = (await connection.QueryAsync<PlaylistRow>(new CommandDefinition($"""
            SELECT {Columns}, (SELECT COUNT(*) FROM playlist_items WHERE playlist_id = playlists.id) AS item_count
            FROM playlists WHERE {string.Join(" AND ", where)}
            ORDER BY created_at {direction}, id {direction} LIMIT @limit OFFSET @offset
            """, args, cancellationToken: ct))).ToList();
        return (rows.Take(page.PageSize).ToList(), total, rows.Count > page.PageSize);
    }
}

/// <summary>A playlist row as stored.</summary>
public sealed class PlaylistRow
{
    public string Id { get; set; } = "";

    public string ProjectId { get; set; } = "";

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public string? ReviewDate { get; set; }

    public string CreatedBy { get; set; } = "";

    public string Status { get; set; } = PlaylistRules.Open;

    public string? ClosedBy { get; set; }

    public DateTime? ClosedAt { get; set; }

    public int Revision { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Filled by lists only.</summary>
    public int ItemCount { get; set; }

    public PlaylistSummary ToSummary() => new(Id, ProjectId, Name, Description, CreatedBy, ReviewDate, ItemCount, Status, ClosedBy, Utc(ClosedAt),
        Revision, DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));

    public Playlist ToPlaylist(IReadOnlyList<PlaylistItem> items) => new(Id, ProjectId, Name, Description, CreatedBy, ReviewDate, items, Status, ClosedBy,
        Utc(ClosedAt), Revision, DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));

    private static DateTime? Utc(DateTime? time) => time is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : null;
}

/// <summary>An item row as stored: <see cref="MediaId"/> is the pinned version, or for a followed task the newest when it was last pinned.</summary>
public sealed class PlaylistItemRow
{
    public string Id { get; set; } = "";

    public string PlaylistId { get; set; } = "";

    public string MediaId { get; set; } = "";

    public string? TaskId { get; set; }

    public bool FollowLatest { get; set; }

    public int Position { get; set; }

    public string? Decision { get; set; }

    public string? DecisionNotes { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>The position of the last playlist sent: the order, its creation time and id.</summary>
public sealed record PlaylistCursor(string Order, DateTime CreatedAt, string Id);
