using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;
using Montu.Server.Data;
using Montu.Server.Features.Breakdown;
using Montu.Server.Features.Notifications;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using static Montu.Server.Features.TaskImport.ImportRowRules;

namespace Montu.Server.Features.TaskImport;

/// <summary>An import ready to run: the file's layout and columns, the project and the caller.</summary>
public sealed record ImportPlan(
    Project Project, ImportOptions Options, CsvLayout Layout, ImportColumns Columns, NamingCheck Naming,
    Func<CancellationToken, Task<Stream>> Open, TaskGuard Guard);

/// <summary>What a background import does around each batch: stops when cancelled, and saves its checkpoint.</summary>
public interface IImportCheckpoint
{
    /// <summary>In the batch's transaction, before it: false when the import was cancelled, and then nothing more is written.</summary>
    Task<bool> ContinueAsync(DbTransaction tx, CancellationToken ct);

    /// <summary>In the batch's transaction, after it: the totals it reached.</summary>
    Task SaveAsync(DbTransaction tx, ImportTally tally, bool final, CancellationToken ct);
}

/// <summary>
/// Imports the rows of a CSV file as tasks. Each row becomes the JSON body <c>POST /tasks</c> or
/// <c>PATCH /tasks/{id}</c> would get (<see cref="ImportRow"/>) and goes through the same parsing,
/// rules and guard (<see cref="TaskInput"/>, <see cref="TaskChanges"/>, <see cref="TaskRules"/>,
/// <see cref="TaskGuard"/>); only the naming check is the import's own. Rows are written a batch per
/// transaction, each batch with one <c>tasks_imported</c> event listing the tasks it created and one
/// <c>tasks_bulk_updated</c> event (operation <c>import</c>) for those it changed, so channels and
/// caches see every task. An atomic import runs in one transaction and writes nothing if any row fails.
/// </summary>
public sealed class TaskImporter(Db db, TaskQueries tasks, ProjectQueries projects, BreakdownNames breakdown, EventLog events, TimeProvider time, IOptions<ImportSettings> settings)
{
    public const string ImportedEvent = "tasks_imported";

    /// <summary>How often a batch is tried again when another writer took one of its ids between its check and its insert.</summary>
    private const int Attempts = 3;

    private readonly ImportSettings _settings = settings.Value;

    /// <summary>Reads the file once and checks everything that makes the whole import impossible: one error, before any row.</summary>
    public async Task<(ImportPlan? Plan, ApiError? Error)> PrepareAsync(
        ImportOptions options, Func<CancellationToken, Task<Stream>> open, Caller caller, CancellationToken ct)
    {
        if (await projects.FindAsync(options.ProjectId, ct) is not { } project)
        {
            return (null, ApiError.NotFound($"Project {Quote.Of(options.ProjectId)} not found"));
        }

        if (project.Status == ProjectRules.Archived)
        {
            return (null, ApiError.BusinessRule($"Project {Quote.Of(project.Id)} is archived; restore it before changing its tasks"));
        }

        var (naming, badPattern) = NamingCheck.For(options.NamingPattern, project);
        if (badPattern is not null)
        {
            return (null, badPattern);
        }

        var (layout, unreadable) = await CsvFile.ScanAsync(open, ct);
        if (unreadable is not null)
        {
            return (null, unreadable);
        }

        if (layout!.DataRows > _settings.MaxRows)
        {
            return (null, new ApiError(StatusCodes.Status413PayloadTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"The file has {layout.DataRows} rows; an import takes at most {_settings.MaxRows} (Imports__MaxRows): split the file"),
                [new FieldError("file", "Too many rows", ErrorCodes.OutOfRange)]));
        }

        var (columns, badHeader) = ImportColumns.Map(layout.Headers, updatesById: options.Mode != ImportMode.Create);
        return badHeader is not null ? (null, badHeader) : (new ImportPlan(project, options, layout, columns!, naming!, open, new TaskGuard(caller)), null);
    }

    /// <summary>
    /// Runs the import from the row after <see cref="ImportTally.Processed"/> on; false when
    /// <paramref name="checkpoint"/> says it was cancelled. An atomic import with a row error
    /// writes nothing and reports no task created or updated.
    /// </summary>
    public async Task<bool> RunAsync(ImportPlan plan, ImportTally tally, IImportCheckpoint? checkpoint, CancellationToken ct)
    {
        var options = plan.Options;
        if (!options.Atomic)
        {
            var batches = 0;
            await foreach (var batch in BatchesAsync(plan, tally, ct))
            {
                batches++;
                var last = tally.Processed + batch.Count == plan.Layout.DataRows;
                var going = await InBatchTransactionAsync(tally, async (tx, mark) =>
                {
                    if (checkpoint is not null && !await checkpoint.ContinueAsync(tx, ct))
                    {
                        return false;
                    }

                    await RunBatchAsync(tx, plan, batch, tally, mark, write: !options.ValidateOnly, ct);
                    if (checkpoint is not null)
                    {
                        await checkpoint.SaveAsync(tx, tally, last, ct);
                    }

                    return true;
                }, ct);
                if (!going)
                {
                    return false;
                }
            }

            // A file of a header alone, or a run resumed after its last batch: the end is still recorded.
            return batches > 0 || checkpoint is null || await FinishAsync(checkpoint, tally, ct);
        }

        try
        {
            return await InBatchTransactionAsync(tally, async (tx, mark) =>
            {
                if (checkpoint is not null && !await checkpoint.ContinueAsync(tx, ct))
                {
                    return false;
                }

                await foreach (var batch in BatchesAsync(plan, tally, ct))
                {
                    // Once a row failed nothing will be kept: the rest is only checked.
                    await RunBatchAsync(tx, plan, batch, tally, mark, write: !options.ValidateOnly && tally.Invalid == 0, ct);
                }

                if (tally.Invalid > 0 && !options.ValidateOnly)
                {
                    throw new AtomicImportFailed();
                }

                if (checkpoint is not null)
                {
                    await checkpoint.SaveAsync(tx, tally, true, ct);
                }

                return true;
            }, ct);
        }
        catch (AtomicImportFailed)
        {
            (tally.Created, tally.Updated) = (0, 0);
            return checkpoint is null || await FinishAsync(checkpoint, tally, ct);
        }
    }

    /// <summary>Records the end of an import no batch recorded; false when it was cancelled first.</summary>
    private Task<bool> FinishAsync(IImportCheckpoint checkpoint, ImportTally tally, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            if (!await checkpoint.ContinueAsync(tx, ct))
            {
                return false;
            }

            await checkpoint.SaveAsync(tx, tally, true, ct);
            return true;
        }, ct);

    /// <summary>The data rows after those already processed, a batch at a time; the ids of the rows skipped are noted again, so a resumed import still finds an id given twice.</summary>
    private async IAsyncEnumerable<List<CsvRecord>> BatchesAsync(ImportPlan plan, ImportTally tally, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var skip = tally.Processed;
        var batch = new List<CsvRecord>(_settings.BatchSize);
        var layout = plan.Layout;
        await foreach (var record in CsvFile.RecordsAsync(plan.Open, layout.Encoding, layout.BomLength, layout.Delimiter, ct))
        {
            if (record.Row == 1 || record.IsBlank)
            {
                continue;
            }

            if (skip > 0)
            {
                skip--;
                var row = ImportRow.Read(record, plan.Columns, plan.Project.Id);
                if (row.Problem is null && (row.Id ?? DerivedId(row, plan.Project)) is { } id)
                {
                    tally.SeenIds.TryAdd(id, row.Row);
                }

                continue;
            }

            batch.Add(record);
            if (batch.Count == _settings.BatchSize)
            {
                yield return batch;
                batch = new List<CsvRecord>(_settings.BatchSize);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private async Task<T> InBatchTransactionAsync<T>(ImportTally tally, Func<DbTransaction, TallyMark, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var mark = tally.Mark();
            try
            {
                return await db.InTransactionAsync(tx => work(tx, mark), ct);
            }
            catch (Exception e) when (e is not AtomicImportFailed)
            {
                tally.Restore(mark);
                if (e is DbException failed && Db.IsUniqueViolation(failed) && attempt < Attempts)
                {
                    // Another writer created one of the batch's ids after the batch looked: looked at again, it is an existing task.
                    continue;
                }

                throw;
            }
        }
    }

    private async Task RunBatchAsync(DbTransaction tx, ImportPlan plan, List<CsvRecord> batch, ImportTally tally, TallyMark mark, bool write, CancellationToken ct)
    {
        var project = plan.Project;
        var rows = batch.Select(r => ImportRow.Read(r, plan.Columns, project.Id)).ToList();
        var derived = rows.Where(r => r.Problem is null && r.Id is null).ToDictionary(r => r.Row, r => DerivedId(r, project));
        var lookups = rows.Where(r => r.Problem is null).SelectMany(r => r.Id is { } id ? [id] : Candidates(derived[r.Row], project))
            .ToHashSet(StringComparer.Ordinal);
        var existing = await tasks.FindManyForUpdateAsync(tx, lookups, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var created = new List<StoredTask>();
        var updated = new List<(StoredTask Before, StoredTask After)>();
        foreach (var row in rows)
        {
            var problems = new ValidationProblems();
            var outcome = Outcome(row, row.Problem is null ? row.Id ?? derived[row.Row] : null, existing, plan, now, problems);
            if (outcome.Kind != RowKind.Invalid && !Claim(tally, mark, outcome.Task!.Id, row, problems))
            {
                outcome = RowOutcome.Invalid;
            }

            tally.Processed++;
            if (outcome.Error is { } error)
            {
                tally.Invalid++;
                tally.AddError(error);
                continue;
            }

            if (problems.Any || outcome.Kind == RowKind.Invalid)
            {
                tally.Invalid++;
                foreach (var problem in problems.Errors)
                {
                    tally.AddError(new ImportRowError(row.Row, plan.Columns.HeaderOf(problem.Field), problem.Field, problem.Message, problem.Code));
                }

                continue;
            }

            switch (outcome.Kind)
            {
                case RowKind.Created:
                    created.Add(outcome.Stored!);
                    tally.Created++;
                    break;
                case RowKind.Updated:
                    updated.Add((outcome.Before!, outcome.Stored!));
                    tally.Updated++;
                    break;
                default:
                    tally.Skipped++;
                    break;
            }

            if (tally.Preview.Count < plan.Options.PreviewRows)
            {
                tally.Preview.Add(outcome.Task!);
            }
        }

        if (!write)
        {
            return;
        }

        var userId = plan.Guard.UserId;
        await breakdown.EnsureAsync(tx, created.Select(c => c.Task).Concat(updated.Where(u => BreakdownNames.Moved(u.Before.Task, u.After.Task)).Select(u => u.After.Task)),
            userId, now, ct);
        await tasks.InsertManyAsync(tx, created, project, ct);

        foreach (var (before, after) in updated)
        {
            await tasks.UpdateAsync(tx, before, after, project, ct);
        }

        if (created.Count > 0)
        {
            await events.AppendAsync(tx, new NewEvent(ImportedEvent, project.Id, "tasks", project.Id,
                new { taskIds = created.Select(t => t.Task.Id).ToList(), tasks = created.Select(t => t.Task).ToList() }, userId)
            {
                Notices = TaskNotices.ChangedMany(project.Id, created.Select(t => ((TaskItem?)null, t.Task))),
            }, ct);
        }

        if (updated.Count > 0)
        {
            await events.AppendAsync(tx, TaskEvents.BulkUpdate(project.Id, [.. updated.Select(u => (u.Before.Task, u.After.Task))], "import", userId), ct);
        }
    }

    /// <summary>Notes the row's id; false, with a row error, when an earlier row of the file has it.</summary>
    private static bool Claim(ImportTally tally, TallyMark mark, string id, ImportRow row, ValidationProblems problems)
    {
        if (tally.SeenIds.TryGetValue(id, out var first))
        {
            problems.Add("id", string.Create(CultureInfo.InvariantCulture, $"Task id {Quote.Of(id)} is also in row {first}; each task may appear once"), ErrorCodes.DuplicateValue);
            return false;
        }

        tally.SeenIds[id] = row.Row;
        mark.IdsAdded.Add(id);
        return true;
    }

    /// <summary>Rolls back an atomic import that found a row error; its totals stay as they were reached.</summary>
    private sealed class AtomicImportFailed() : Exception("An atomic import found row errors");
}
