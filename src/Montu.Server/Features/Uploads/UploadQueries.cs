using System.Data.Common;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// The SQL of resumable uploads. Bytes are added by the PATCH that holds the upload
/// (<c>patch_id</c>) at the offset it started from: every change after the bytes are stored is
/// conditioned on both, so of two PATCHes racing, one stores and the other changes nothing.
/// </summary>
public sealed class UploadQueries(Db db)
{
    private const string Columns = """
        id, created_by, project_id, task_id, version_number, file_name, file_extension, description, tags, upload_metadata,
        upload_length, upload_offset, patch_id, media_id, expires_at, created_at, updated_at
        """;

    /// <summary>Still held by <c>@patchId</c> and still at the offset it started from.</summary>
    private const string HeldAt = "id = @id AND patch_id = @patchId AND upload_offset = @offset AND media_id IS NULL";

    private string ForUpdate => db.Dialect.Engine == DbEngine.Postgres ? "FOR UPDATE" : "";

    public Task InsertAsync(DbTransaction tx, UploadRow row, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO resumable_uploads ({Columns})
            VALUES (@Id, @CreatedBy, @ProjectId, @TaskId, @VersionNumber, @FileName, @FileExtension, @Description, {db.Dialect.Json("Tags")},
                    @UploadMetadata, @UploadLength, @UploadOffset, @PatchId, @MediaId, @ExpiresAt, @CreatedAt, @UpdatedAt)
            """, row, tx, cancellationToken: ct));

    public async Task<UploadRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UploadRow>(new CommandDefinition(
            $"SELECT {Columns} FROM resumable_uploads WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>The stored parts of an upload, in offset order.</summary>
    public async Task<IReadOnlyList<UploadPart>> PartsAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<UploadPart>(new CommandDefinition(
            "SELECT start_offset, size, storage_key FROM resumable_upload_parts WHERE upload_id = @id ORDER BY start_offset",
            new { id }, cancellationToken: ct))).ToList();
    }

    /// <summary>
    /// Makes <paramref name="patchId"/> the PATCH that adds the next bytes, if the upload is still at
    /// <paramref name="offset"/>: a PATCH started earlier from there will store nothing.
    /// </summary>
    public Task<bool> HoldAsync(string id, long offset, string patchId, DateTime now, CancellationToken ct) =>
        db.InTransactionAsync(async tx => await tx.Connection!.ExecuteAsync(new CommandDefinition("""
            UPDATE resumable_uploads SET patch_id = @patchId, updated_at = @now
            WHERE id = @id AND upload_offset = @offset AND media_id IS NULL
            """, new { id, offset, patchId, now }, tx, cancellationToken: ct)) == 1, ct);

    /// <summary>Records a stored part and moves the offset past it; false, changing nothing, when another PATCH holds the upload now.</summary>
    public Task<bool> AddPartAsync(string id, string patchId, UploadPart part, DateTime now, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            var moved = await tx.Connection!.ExecuteAsync(new CommandDefinition($"""
                UPDATE resumable_uploads SET upload_offset = upload_offset + @size, patch_id = NULL, updated_at = @now
                WHERE {HeldAt}
                """, new { id, patchId, offset = part.StartOffset, size = part.Size, now }, tx, cancellationToken: ct));
            if (moved == 1)
            {
                await tx.Connection!.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO resumable_upload_parts (upload_id, start_offset, size, storage_key) VALUES (@id, @StartOffset, @Size, @StorageKey)
                    """, new { id, part.StartOffset, part.Size, part.StorageKey }, tx, cancellationToken: ct));
            }

            return moved == 1;
        }, ct);

    /// <summary>
    /// In the commit of the media version: the upload is whole and names its version, and its
    /// parts are no longer needed. False, changing nothing, when another PATCH holds it now.
    /// </summary>
    public async Task<bool> CompleteAsync(DbTransaction tx, string id, string patchId, long offset, string mediaId, DateTime now, CancellationToken ct)
    {
        var completed = await tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            UPDATE resumable_uploads SET upload_offset = upload_length, media_id = @mediaId, patch_id = NULL, updated_at = @now
            WHERE {HeldAt}
            """, new { id, patchId, offset, mediaId, now }, tx, cancellationToken: ct));
        if (completed == 1)
        {
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "DELETE FROM resumable_upload_parts WHERE upload_id = @id", new { id }, tx, cancellationToken: ct));
        }

        return completed == 1;
    }

    /// <summary>
    /// Deletes the upload and its parts and answers the parts' keys, for their bytes to be deleted
    /// after the commit; null when there is no such upload. The row is locked first, so no PATCH
    /// records a part in between.
    /// </summary>
    public Task<IReadOnlyList<string>?> DeleteAsync(string id, CancellationToken ct) =>
        db.InTransactionAsync<IReadOnlyList<string>?>(async tx =>
        {
            var connection = tx.Connection!;
            if (await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                $"SELECT id FROM resumable_uploads WHERE id = @id {ForUpdate}", new { id }, tx, cancellationToken: ct)) is null)
            {
                return null;
            }

            var keys = (await connection.QueryAsync<string>(new CommandDefinition(
                "DELETE FROM resumable_upload_parts WHERE upload_id = @id RETURNING storage_key", new { id }, tx, cancellationToken: ct))).ToList();
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM resumable_uploads WHERE id = @id", new { id }, tx, cancellationToken: ct));
            return keys;
        }, ct);

    /// <summary>Of <paramref name="keys"/>, those recorded as parts of an upload.</summary>
    public async Task<IReadOnlySet<string>> RecordedAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT storage_key FROM resumable_upload_parts WHERE {db.Dialect.In("storage_key", "keys")}", new { keys = keys.ToArray() }, cancellationToken: ct)))
            .ToHashSet(StringComparer.Ordinal);
    }
}

/// <summary>A row of <c>resumable_uploads</c>.</summary>
public sealed class UploadRow
{
    public string Id { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public string ProjectId { get; set; } = "";

    public string? TaskId { get; set; }

    public int? VersionNumber { get; set; }

    public string FileName { get; set; } = "";

    public string FileExtension { get; set; } = "";

    public string Description { get; set; } = "";

    public string Tags { get; set; } = "[]";

    /// <summary>The header as the client sent it: HEAD answers it back, as tus requires.</summary>
    public string UploadMetadata { get; set; } = "";

    public long UploadLength { get; set; }

    public long UploadOffset { get; set; }

    public string? PatchId { get; set; }

    public string? MediaId { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public bool IsComplete => MediaId is not null;

    public IReadOnlyList<string> TagList => StorageJson.Read<List<string>>(Tags);
}

/// <summary>One stored part: the bytes of one PATCH, from <see cref="StartOffset"/>.</summary>
public sealed class UploadPart
{
    public long StartOffset { get; set; }

    public long Size { get; set; }

    public string StorageKey { get; set; } = "";
}
