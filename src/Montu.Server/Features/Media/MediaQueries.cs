using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Media;

/// <summary>The SQL the media feature owns.</summary>
public sealed class MediaQueries(Db db)
{

    private const string Columns = """
        id, project_id, task_id, version, version_number, author, file_name, file_extension, media_type, content_type,
        storage_key, thumbnail_key, stream_key, description, tags, metadata, size_bytes, checksum, search_text, processing_status,
        processing_error, approval_status, reviewed_by, review_notes, reviewed_at, revision, created_at, updated_at
        """;

    private readonly ProjectOfResource _projects = new(db, "media");

    private string ForUpdate => db.Dialect.Engine == DbEngine.Postgres ? "FOR UPDATE" : "";

    /// <summary>The project of a media version, for access checks; remembered, since it never changes.</summary>
    public Task<string?> ProjectIdOfAsync(string id, CancellationToken ct) => _projects.LookUpAsync(id, ct);

    public async Task<MediaRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<MediaRow>(new CommandDefinition($"SELECT {Columns} FROM media WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public Task<MediaRow?> FindForUpdateAsync(DbTransaction tx, string id, CancellationToken ct) =>
        tx.Connection!.QuerySingleOrDefaultAsync<MediaRow>(new CommandDefinition(
            $"SELECT {Columns} FROM media WHERE id = @id {ForUpdate}", new { id }, tx, cancellationToken: ct));

    /// <summary>The version after the task's highest one (1 for its first).</summary>
    public async Task<int> NextVersionAsync(DbTransaction tx, string taskId, CancellationToken ct) =>
        await tx.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(version_number), 0) + 1 FROM media WHERE task_id = @taskId", new { taskId }, tx, cancellationToken: ct));

    public async Task<bool> VersionTakenAsync(DbTransaction tx, string taskId, int version, CancellationToken ct) =>
        await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM media WHERE task_id = @taskId AND version_number = @version", new { taskId, version }, tx, cancellationToken: ct)) > 0;

    public Task InsertAsync(DbTransaction tx, MediaRow row, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO media ({Columns})
            VALUES (@Id, @ProjectId, @TaskId, @Version, @VersionNumber, @Author, @FileName, @FileExtension, @MediaType, @ContentType,
                    @StorageKey, @ThumbnailKey, @StreamKey, @Description, {db.Dialect.Json("Tags")}, {db.Dialect.Json("Metadata")}, @SizeBytes, @Checksum,
                    @SearchText, @ProcessingStatus, @ProcessingError, @ApprovalStatus, @ReviewedBy, @ReviewNotes, @ReviewedAt, @Revision,
                    @CreatedAt, @UpdatedAt)
            """, row, tx, cancellationToken: ct));

    /// <summary>Writes the fields a client may change, and the revision and time that move with them.</summary>
    public SqlStatement UpdateDetails(MediaRow row) => new("""
        UPDATE media SET description = @Description, tags = {0}, search_text = @SearchText, revision = @Revision, updated_at = @UpdatedAt
        WHERE id = @Id
        """.Replace("{0}", db.Dialect.Json("Tags"), StringComparison.Ordinal), row);

    /// <summary>Writes a review: the approval status, who gave it, the notes and when.</summary>
    public SqlStatement Review(MediaRow row) => new("""
        UPDATE media SET approval_status = @ApprovalStatus, reviewed_by = @ReviewedBy, review_notes = @ReviewNotes, reviewed_at = @ReviewedAt,
                         revision = @Revision, updated_at = @UpdatedAt
        WHERE id = @Id
        """, row);

    /// <summary>
    /// Writes what processing found and made, and the revision: the answer clients see changed, so
    /// a copy held with its ETag must not be told it is current (docs/decisions/0021).
    /// </summary>
    public SqlStatement Processed(MediaRow row) => new("""
        UPDATE media SET metadata = {0}, processing_status = @ProcessingStatus, processing_error = @ProcessingError,
                         thumbnail_key = @ThumbnailKey, stream_key = @StreamKey, revision = @Revision, updated_at = @UpdatedAt
        WHERE id = @Id
        """.Replace("{0}", db.Dialect.Json("Metadata"), StringComparison.Ordinal), row);

    /// <summary>Deletes the version with its annotations, which mean nothing without it.</summary>
    public Task DeleteAsync(DbTransaction tx, string id, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM annotations WHERE media_id = @id; DELETE FROM media WHERE id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>The rows whose upload was committed but whose bytes may still wait under their upload key (see <see cref="MediaUploads"/>).</summary>
    public async Task<IReadOnlyList<MediaRow>> FindManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<MediaRow>(new CommandDefinition(
            $"SELECT {Columns} FROM media WHERE {db.Dialect.In("id", "ids")}", new { ids = ids.ToArray() }, cancellationToken: ct))).ToList();
    }

    /// <summary>Versions by id, on the caller's connection and transaction: a playlist's items read with the playlist.</summary>
    public async Task<IReadOnlyList<MediaRow>> FindManyAsync(DbConnection connection, DbTransaction? tx, IReadOnlyCollection<string> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : (await connection.QueryAsync<MediaRow>(new CommandDefinition(
            $"SELECT {Columns} FROM media WHERE {db.Dialect.In("id", "ids")}", new { ids = ids.ToArray() }, tx, cancellationToken: ct))).ToList();

    /// <summary>The newest version of each of these tasks that has any.</summary>
    public async Task<IReadOnlyList<MediaRow>> NewestOfTasksAsync(DbConnection connection, DbTransaction? tx, IReadOnlyCollection<string> taskIds, CancellationToken ct) =>
        taskIds.Count == 0 ? [] : (await connection.QueryAsync<MediaRow>(new CommandDefinition($"""
            SELECT {Columns} FROM media
            WHERE {db.Dialect.In("task_id", "ids")}
              AND version_number = (SELECT MAX(newer.version_number) FROM media newer WHERE newer.task_id = media.task_id)
            """, new { ids = taskIds.ToArray() }, tx, cancellationToken: ct))).ToList();

    /// <summary>A task's media, newest version first.</summary>
    public async Task<IReadOnlyList<MediaRow>> ForTaskAsync(string taskId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<MediaRow>(new CommandDefinition(
            $"SELECT {Columns} FROM media WHERE task_id = @taskId ORDER BY version_number DESC, id DESC", new { taskId }, cancellationToken: ct))).ToList();
    }

    /// <summary>One page of a media list and the total matching; one row beyond the page says whether more follow.</summary>
    public async Task<(IReadOnlyList<MediaRow> Items, long Total, bool HasMore)> ListAsync(
        MediaFilters filters, Infrastructure.Access.ReadableProjects readable, MediaSort sort, PageRequest page, MediaCursor? after, CancellationToken ct)
    {
        var args = new DynamicParameters();
        var where = Where(filters, args);
        where.Add(readable.SqlCondition("project_id", args, db.Dialect));
        var filter = string.Join(" AND ", where);
        if (after is not null)
        {
            where.Add(sort.Keyset(after, args));
        }

        args.Add("limit", page.PageSize + 1);
        args.Add("offset", after is null ? page.Offset : 0);
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM media WHERE {filter}", args, cancellationToken: ct));
        var rows = (await connection.QueryAsync<MediaRow>(new CommandDefinition(
            $"SELECT {Columns} FROM media WHERE {string.Join(" AND ", where)} ORDER BY {sort.OrderBy} LIMIT @limit OFFSET @offset",
            args, cancellationToken: ct))).ToList();
        return (rows.Take(page.PageSize).ToList(), total, rows.Count > page.PageSize);
    }

    private List<string> Where(MediaFilters filters, DynamicParameters args)
    {
        var where = new List<string>();
        void Equal(string column, string name, object? value)
        {
            if (value is not null)
            {
                where.Add($"{column} = @{name}");
                args.Add(name, value);
            }
        }

        Equal("project_id", "projectId", filters.ProjectId);
        Equal("task_id", "taskId", filters.TaskId);
        Equal("media_type", "mediaType", filters.MediaType);
        Equal("lower(file_extension)", "fileType", filters.FileType);
        Equal("author", "author", filters.Author);
        Equal("approval_status", "approvalStatus", filters.ApprovalStatus);
        Equal("version", "version", filters.Version);
        for (var i = 0; i < (filters.Tags?.Count ?? 0); i++)
        {
            where.Add(db.Dialect.JsonArrayHas("tags", $"tag{i}"));
            args.Add($"tag{i}", filters.Tags![i]);
        }

        if (filters.Search is not null)
        {
            where.Add(@"search_text LIKE @search ESCAPE '\'");
            args.Add("search", Like.Contains(filters.Search));
        }

        if (filters.CreatedSince is not null)
        {
            where.Add("created_at >= @createdSince");
            args.Add("createdSince", filters.CreatedSince);
        }

        return where;
    }
}

/// <summary>A media row as stored; <see cref="ToItem"/> gives its wire shape.</summary>
public sealed class MediaRow
{
    public string Id { get; set; } = "";

    public string ProjectId { get; set; } = "";

    public string? TaskId { get; set; }

    public string? Version { get; set; }

    public int? VersionNumber { get; set; }

    public string Author { get; set; } = "";

    public string FileName { get; set; } = "";

    public string FileExtension { get; set; } = "";

    public string MediaType { get; set; } = "";

    public string ContentType { get; set; } = "";

    public string StorageKey { get; set; } = "";

    public string? ThumbnailKey { get; set; }

    public string? StreamKey { get; set; }

    public string Description { get; set; } = "";

    public string Tags { get; set; } = "[]";

    public string Metadata { get; set; } = "{}";

    public long SizeBytes { get; set; }

    public string Checksum { get; set; } = "";

    public string SearchText { get; set; } = "";

    public string ProcessingStatus { get; set; } = "";

    public string? ProcessingError { get; set; }

    public string ApprovalStatus { get; set; } = MediaRules.Pending;

    public string? ReviewedBy { get; set; }

    public string? ReviewNotes { get; set; }

    public DateTime? ReviewedAt { get; set; }

    public int Revision { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<string> TagList => StorageJson.Read<List<string>>(Tags);

    public MediaItem ToItem()
    {
        var url = $"/api/v1/media/{Id}";
        var viewable = MediaType is ContentSniffer.Image or ContentSniffer.Video or ContentSniffer.Audio;
        return new MediaItem(
            Id,
            ProjectId,
            TaskId,
            Version,
            Author,
            FileName,
            MediaType,
            FileExtension,
            ContentType,
            StorageKey,
            url + "/download",
            ThumbnailKey,
            viewable ? url + "/thumbnail" : null,
            viewable ? url + "/stream" : null,
            Description,
            TagList,
            StorageJson.Read<MediaMetadata>(Metadata),
            new MediaProcessing(ProcessingStatus, ProcessingError),
            ApprovalStatus,
            ReviewedBy,
            ReviewNotes,
            Utc(ReviewedAt),
            Revision,
            DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc),
            DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
    }

    private static DateTime? Utc(DateTime? time) => time is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : null;
}
