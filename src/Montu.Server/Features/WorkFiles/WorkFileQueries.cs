using System.Data.Common;
using Dapper;
using Montu.Server.Data;

namespace Montu.Server.Features.WorkFiles;

/// <summary>A stored allocation of a work-file version.</summary>
public sealed class VersionRow
{
    public int Number { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public string? Comment { get; set; }
}

/// <summary>The SQL the work-files feature owns: the <c>work_file_versions</c> table (migration 0018).</summary>
public sealed class WorkFileQueries(Db db)
{
    private const string Columns = "number, created_by, created_at, comment";

    /// <summary>The highest number allocated for the task, 0 when none; read with the task row locked.</summary>
    public Task<int> HighestAsync(DbTransaction transaction, string taskId, CancellationToken ct) =>
        transaction.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(number), 0) FROM work_file_versions WHERE task_id = @taskId", new { taskId }, transaction, cancellationToken: ct));

    public Task InsertAsync(DbTransaction transaction, string taskId, VersionRow row, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO work_file_versions (task_id, {Columns}) VALUES (@taskId, @Number, @CreatedBy, @CreatedAt, @Comment)",
            new { taskId, row.Number, row.CreatedBy, row.CreatedAt, row.Comment }, transaction, cancellationToken: ct));

    public async Task<bool> ExistsAsync(DbTransaction transaction, string taskId, int number, CancellationToken ct) =>
        await transaction.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM work_file_versions WHERE task_id = @taskId AND number = @number", new { taskId, number }, transaction, cancellationToken: ct)) > 0;

    public async Task<IReadOnlyList<VersionRow>> ListAsync(string taskId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<VersionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM work_file_versions WHERE task_id = @taskId ORDER BY number", new { taskId }, cancellationToken: ct));
        return rows.Select(r => { r.CreatedAt = DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc); return r; }).ToList();
    }
}
