using System.Data.Common;
using Microsoft.Extensions.Options;
using Montu.Server.Features.Auth;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.Storage;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.TaskImport;

/// <summary>
/// Runs a background import (job kind <c>task_import</c>, decision 0031) as the user who started it,
/// with their access as it is now. Each batch commits with the import's totals, so an import
/// interrupted (a restart, a lost lease, a timeout) goes on after the last committed batch when it
/// is run again; cancelling stops it before its next batch. The stored file is deleted once the
/// import has ended.
/// </summary>
public sealed partial class TaskImportJob(
    TaskImporter importer, ImportJobs imports, IFileStore store, UserAccessCache users, TimeProvider time,
    IOptions<ImportSettings> settings, ILogger<TaskImportJob> logger) : IJobHandler
{
    public const string Kind = "task_import";

    /// <summary>Progress events are sent per batch, but at most this often (the last one always).</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    string IJobHandler.Kind => Kind;

    public int Concurrency => settings.Value.Concurrency;

    /// <summary>An attempt that runs out goes on from its checkpoint at the next.</summary>
    public TimeSpan Timeout => TimeSpan.FromHours(2);

    public async Task RunAsync(LeasedJob job, CancellationToken ct)
    {
        if (await imports.FindAsync(job.Id, ct) is not { HasEnded: false } import)
        {
            return;
        }

        var options = StorageJson.Read<ImportOptions>(job.Params.GetRawText());
        try
        {
            var caller = await CallerAsync(import, options.ProjectId, job.Id, ct);
            var (plan, refused) = await importer.PrepareAsync(options, OpenAsync(import.FileKey), caller, ct);
            if (refused is not null)
            {
                throw new JobFailedException(refused.Message, retryable: false);
            }

            var tally = import.Tally();
            if (tally.Processed > 0)
            {
                LogResumed(logger, job.Id, tally.Processed, import.TotalRows);
            }

            var checkpoint = new Checkpoint(imports, job.Id, import.ProjectId, import.CreatedBy, plan!.Layout.DataRows, time);
            if (!await importer.RunAsync(plan, tally, checkpoint, ct))
            {
                LogCancelled(logger, job.Id, tally.Processed, import.TotalRows);
            }
        }
        catch (DbException e)
        {
            await ForgetAsync(job, import, retried: job.Attempts + 1 < job.MaxAttempts);
            throw new JobFailedException($"The database failed during the import: {e.Message}", retryable: true);
        }
        catch (JobFailedException failed)
        {
            await ForgetAsync(job, import, retried: failed.Retryable && job.Attempts + 1 < job.MaxAttempts);
            throw;
        }
        catch (OperationCanceledException)
        {
            // A cancel takes the job's lease away, which cancels this attempt mid-batch.
            if (await imports.IsCancelledAsync(job.Id, CancellationToken.None))
            {
                await store.DeleteAsync(import.FileKey, CancellationToken.None);
            }

            throw;
        }

        await store.DeleteAsync(import.FileKey, CancellationToken.None);
    }

    /// <summary>The user who started the import, with their access now: a removed or disabled user, or one who lost write access, fails it.</summary>
    private async Task<Caller> CallerAsync(ImportJobRow import, string projectId, string jobId, CancellationToken ct)
    {
        if (await users.GetAsync(import.CreatedBy, ct) is not { Disabled: false } user)
        {
            throw new JobFailedException("The user who started the import no longer exists or is disabled", retryable: false);
        }

        var caller = new Caller(user, jobId, sessionId: null, projectId, DateTimeOffset.MaxValue);
        if (ProjectAccess.Check(caller, projectId, ProjectPermission.Write) is { } denied)
        {
            throw new JobFailedException($"The user who started the import may no longer write in the project: {denied.Message}", retryable: false);
        }

        return caller;
    }

    private Func<CancellationToken, Task<Stream>> OpenAsync(string key) => async ct =>
        await store.OpenReadAsync(key, 0, null, ct) ?? throw new JobFailedException("The uploaded file is no longer stored", retryable: false);

    /// <summary>Deletes the stored file of an import that will not run again.</summary>
    private async Task ForgetAsync(LeasedJob job, ImportJobRow import, bool retried)
    {
        if (!retried)
        {
            LogFileDeleted(logger, job.Id);
            await store.DeleteAsync(import.FileKey, CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId} resumes after row {Processed} of {Total}, where its last committed batch ended")]
    private static partial void LogResumed(ILogger logger, string jobId, int processed, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId} was cancelled after {Processed} of {Total} rows; their tasks stay")]
    private static partial void LogCancelled(ILogger logger, string jobId, int processed, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId} failed for good: its stored file is deleted")]
    private static partial void LogFileDeleted(ILogger logger, string jobId);

    /// <summary>Around each batch: stop if cancelled; save the totals and send a progress event, in the batch's transaction.</summary>
    private sealed class Checkpoint(ImportJobs imports, string jobId, string projectId, string userId, int totalRows, TimeProvider time) : IImportCheckpoint
    {
        private int _errors = -1;
        private int _preview = -1;
        private DateTimeOffset _lastEvent = DateTimeOffset.MinValue;

        public async Task<bool> ContinueAsync(DbTransaction tx, CancellationToken ct) => !await imports.IsCancelledAsync(tx, jobId, ct);

        public async Task SaveAsync(DbTransaction tx, ImportTally tally, bool final, CancellationToken ct)
        {
            var listsChanged = tally.Errors.Count != _errors || tally.Preview.Count != _preview;
            await imports.SaveAsync(tx, jobId, tally, listsChanged, totalRows, ct);
            var (errors, preview) = (tally.Errors.Count, tally.Preview.Count);
            imports.AfterCommit(tx, () => (_errors, _preview) = (errors, preview));
            var now = time.GetUtcNow();
            if (final || now - _lastEvent >= ProgressInterval)
            {
                _lastEvent = now;
                await imports.AppendAsync(tx, final
                    ? ImportJobs.Finished(projectId, jobId, tally, totalRows, userId)
                    : ImportJobs.Progress(projectId, jobId, "processing", tally, totalRows, userId), ct);
            }
        }
    }
}
