using System.Data.Common;
using System.Globalization;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Notifications;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.TaskImport;

/// <summary>A background import as stored: its job's state and the totals of its committed batches.</summary>
public sealed class ImportJobRow
{
    public string JobId { get; init; } = "";

    public string ProjectId { get; init; } = "";

    public string CreatedBy { get; init; } = "";

    public string FileKey { get; init; } = "";

    /// <summary>The job's status in the jobs table (queued, leased, running, completed, failed, cancelled).</summary>
    public string JobStatus { get; init; } = "";

    public string? Error { get; init; }

    public int TotalRows { get; init; }

    public int ProcessedRows { get; init; }

    public int InvalidTasks { get; init; }

    public int CreatedTasks { get; init; }

    public int UpdatedTasks { get; init; }

    public int SkippedTasks { get; init; }

    public string Errors { get; init; } = "[]";

    public string Preview { get; init; } = "[]";

    /// <summary>The status a client sees: a queued or leased job is <c>pending</c>, a running one <c>processing</c>.</summary>
    public string Status => JobStatus switch
    {
        "queued" or "leased" => "pending",
        "running" => "processing",
        _ => JobStatus,
    };

    public bool HasEnded => JobStatus is "completed" or "failed" or "cancelled";

    public ImportTally Tally() => new()
    {
        Processed = ProcessedRows,
        Invalid = InvalidTasks,
        Created = CreatedTasks,
        Updated = UpdatedTasks,
        Skipped = SkippedTasks,
        Errors = StorageJson.Read<List<ImportRowError>>(Errors),
        Preview = StorageJson.Read<List<TaskItem>>(Preview),
    };

    public ImportJobStatus ToStatus()
    {
        var tally = Tally();
        var percent = TotalRows == 0 ? (JobStatus == "completed" ? 100 : 0) : Math.Round(100.0 * ProcessedRows / TotalRows, 1);
        return new ImportJobStatus(JobId, Status, percent, TotalRows, ProcessedRows, InvalidTasks, CreatedTasks, UpdatedTasks, SkippedTasks,
            tally.Errors, JobStatus == "completed" ? tally.Report(TotalRows) : null, JobStatus == "failed" ? Error : null);
    }
}

/// <summary>The SQL of background imports: the <c>task_imports</c> row beside each job (migration 0017).</summary>
public sealed class ImportJobs(Db db, JobQueue queue, EventLog events, TimeProvider time)
{
    public const string ProgressEvent = "import_progress";

    private const string Select = """
        SELECT i.job_id, i.project_id, i.created_by, i.file_key, j.status AS job_status, j.error, i.total_rows, i.processed_rows,
               i.invalid_tasks, i.created_tasks, i.updated_tasks, i.skipped_tasks, i.errors, i.preview
        FROM task_imports i JOIN jobs j ON j.id = i.job_id
        WHERE i.job_id = @jobId
        """;

    private string ForUpdate => db.Dialect.Engine == DbEngine.Postgres ? "FOR UPDATE" : "";

    /// <summary>The project of an import job, for the status routes' access check.</summary>
    public async Task<string?> ProjectIdOfAsync(string jobId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT project_id FROM task_imports WHERE job_id = @jobId", new { jobId }, cancellationToken: ct));
    }

    public async Task<ImportJobRow?> FindAsync(string jobId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ImportJobRow>(new CommandDefinition(Select, new { jobId }, cancellationToken: ct));
    }

    /// <summary>Enqueues the import's job and its row in one transaction.</summary>
    public Task<string> EnqueueAsync(ImportOptions options, string userId, string fileKey, int totalRows, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            var jobId = await queue.EnqueueAsync(tx, new NewJob(TaskImportJob.Kind, options) { ProjectId = options.ProjectId, CreatedBy = userId }, ct);
            await tx.Connection!.ExecuteAsync(new CommandDefinition("""
                INSERT INTO task_imports (job_id, project_id, created_by, file_key, total_rows)
                VALUES (@jobId, @ProjectId, @userId, @fileKey, @totalRows)
                """, new { jobId, options.ProjectId, userId, fileKey, totalRows }, tx, cancellationToken: ct));
            return jobId;
        }, ct);

    /// <summary>
    /// Cancels the job unless it has ended: the import stops before its next batch and the rows
    /// committed stay. Answers the job as it was before, or null when there is none; a job that
    /// has ended is left as it is.
    /// </summary>
    public Task<ImportJobRow?> CancelAsync(string jobId, string userId, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            var job = await tx.Connection!.QuerySingleOrDefaultAsync<ImportJobRow>(new CommandDefinition(
                $"{Select} {(db.Dialect.Engine == DbEngine.Postgres ? "FOR UPDATE OF j" : "")}", new { jobId }, tx, cancellationToken: ct));
            if (job is null || job.HasEnded)
            {
                return job;
            }

            await tx.Connection!.ExecuteAsync(new CommandDefinition("""
                UPDATE jobs SET status = 'cancelled', lease_expires_at = NULL, finished_at = @now WHERE id = @jobId
                """, new { jobId, now = time.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));
            await events.AppendAsync(tx, Progress(job.ProjectId, jobId, "cancelled", job.Tally(), job.TotalRows, userId), ct);
            return job;
        }, ct);

    /// <summary>Whether the job was cancelled, read in <paramref name="tx"/> and locked on PostgreSQL so a cancel waits for the batch.</summary>
    public async Task<bool> IsCancelledAsync(DbTransaction tx, string jobId, CancellationToken ct) =>
        await tx.Connection!.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT status FROM jobs WHERE id = @jobId {ForUpdate}", new { jobId }, tx, cancellationToken: ct)) == "cancelled";

    public async Task<bool> IsCancelledAsync(string jobId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM jobs WHERE id = @jobId", new { jobId }, cancellationToken: ct)) == "cancelled";
    }

    /// <summary>Saves the totals reached, in the transaction of the batch that reached them; the lists only when they grew.</summary>
    public Task SaveAsync(DbTransaction tx, string jobId, ImportTally tally, bool listsChanged, int totalRows, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition($"""
            UPDATE task_imports SET processed_rows = @Processed, invalid_tasks = @Invalid, created_tasks = @Created,
                updated_tasks = @Updated, skipped_tasks = @Skipped
                {(listsChanged ? ", errors = @errors, preview = @preview" : "")}
            WHERE job_id = @jobId;
            UPDATE jobs SET progress_percent = @percent WHERE id = @jobId;
            """,
            new
            {
                jobId,
                tally.Processed,
                tally.Invalid,
                tally.Created,
                tally.Updated,
                tally.Skipped,
                errors = StorageJson.Write(tally.Errors),
                preview = StorageJson.Write(tally.Preview),
                percent = totalRows == 0 ? 100 : Math.Round(100.0 * tally.Processed / totalRows, 1),
            }, tx, cancellationToken: ct));

    public Task AppendAsync(DbTransaction tx, NewEvent change, CancellationToken ct) => events.AppendAsync(tx, change, ct);

    public void AfterCommit(DbTransaction tx, Action action) => db.AfterCommit(tx, action);

    /// <summary>The last <c>import_progress</c> event of a completed import, which tells the user who started it.</summary>
    public static NewEvent Finished(string projectId, string jobId, ImportTally tally, int totalRows, string userId) =>
        Progress(projectId, jobId, "completed", tally, totalRows, userId) with
        {
            Notices =
            [
                new Notice(NotificationRules.ImportFinished, [userId], "Import Finished", string.Create(CultureInfo.InvariantCulture,
                    $"Import into {projectId} finished: {tally.Created} created, {tally.Updated} updated, {tally.Skipped} skipped, {tally.Invalid} invalid of {totalRows} rows"),
                    new Dictionary<string, object?>
                    {
                        ["projectId"] = projectId,
                        ["jobId"] = jobId,
                        ["createdTasks"] = tally.Created,
                        ["updatedTasks"] = tally.Updated,
                        ["skippedTasks"] = tally.Skipped,
                        ["invalidTasks"] = tally.Invalid,
                        ["totalRows"] = totalRows,
                    })
                {
                    EvenToActor = true,
                },
            ],
        };

    /// <summary>An <c>import_progress</c> event: on the project's task channel, with the job's totals.</summary>
    public static NewEvent Progress(string projectId, string jobId, string status, ImportTally tally, int totalRows, string? userId) =>
        new(ProgressEvent, projectId, "tasks", projectId, new
        {
            jobId,
            status,
            progressPercent = totalRows == 0 ? 100 : Math.Round(100.0 * tally.Processed / totalRows, 1),
            totalRows,
            processedRows = tally.Processed,
            invalidTasks = tally.Invalid,
            createdTasks = tally.Created,
            updatedTasks = tally.Updated,
            skippedTasks = tally.Skipped,
        }, userId);
}
