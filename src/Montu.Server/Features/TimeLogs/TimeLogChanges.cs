using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Montu.Server.Data;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.TimeLogs;

/// <summary>The result of a time-log write: the log, or why it was refused.</summary>
public sealed record TimeLogOutcome(TimeLog? Log, ApiError? Error)
{
    public static implicit operator TimeLogOutcome(TimeLog log) => new(log, null);

    public static implicit operator TimeLogOutcome(ApiError error) => new(null, error);
}

/// <summary>
/// Logging, changing and deleting time (docs/decisions/0037). Hours are logged on a task the caller
/// may change, as for a PATCH: artists on the tasks assigned to them, for themselves only; members
/// with write on the project on any task, for any member. Each write is one transaction that
/// locks the task, then (on PostgreSQL) the user whose day it fills, before any event is appended;
/// it writes the log, the task's new <c>actualTimeLogged</c> (the sum of its logs, applied as a
/// patch so the task gets its revision and <c>task_updated</c>) and the <c>time_log_*</c> event.
/// </summary>
public sealed class TimeLogChanges(Db db, TaskQueries tasks, TimeLogQueries logs, IdGenerator ids, EventLog events, TimeProvider time)
{
    public const string EntityType = "time_log";

    private DateTime Now => TaskChanges.Stored(time.GetUtcNow().UtcDateTime);

    public async Task<TimeLogOutcome> CreateAsync(string taskId, CreateTimeLogRequest request, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (request.Date is null)
        {
            problems.Required("date");
        }

        var date = TimeLogRules.Day(request.Date, "date", problems);
        var hundredths = TimeLogRules.Hundredths(request.Hours, problems, required: true);
        problems.MaxLength("note", request.Note, InputLimits.TextLength);
        if (problems.Any)
        {
            return problems.ToError();
        }

        var userId = request.UserId is null or "me" ? caller.UserId : request.UserId;
        return await db.InTransactionAsync<TimeLogOutcome>(async tx =>
        {
            if (await tasks.FindForUpdateAsync(tx, taskId, ct) is not var (current, project))
            {
                return TaskWriter.NotFound(taskId);
            }

            var refused = new TaskGuard(caller).MayEdit(current.Task)
                ?? ForSomeoneElse(caller, project.Id, userId)
                ?? TaskWriter.CheckEditable(current, project)
                ?? await CheckUserAsync(tx, caller, project.Id, userId, ct)
                ?? TimeLogRules.CheckDay(userId, date!, await logs.DayTotalAsync(tx, userId, date!, null, ct), hundredths!.Value);
            if (refused is not null)
            {
                return refused;
            }

            var now = Now;
            var row = new TimeLogRow
            {
                Id = ids.NewId("tlog"),
                TaskId = taskId,
                ProjectId = project.Id,
                UserId = userId,
                Date = date!,
                Hundredths = hundredths!.Value,
                Note = string.IsNullOrEmpty(request.Note) ? null : request.Note,
                CreatedBy = caller.UserId,
                CreatedAt = now,
                UpdatedAt = now,
                Revision = 1,
            };
            var sum = await SumAsync(tx, current, project, row.Hundredths, ct);
            if (sum.Error is { } invalid)
            {
                return invalid;
            }

            var log = row.ToLog();
            await events.AppendAsync(tx, TimeLogQueries.Insert(row), new NewEvent("time_log_created", project.Id, EntityType, row.Id,
                new { timeLogId = row.Id, taskId, timeLog = log }, caller.UserId), ct);
            await WriteAsync(tx, current, project, sum.Applied!, caller, ct);
            return log;
        }, ct);
    }

    public async Task<TimeLogOutcome> UpdateAsync(string id, UpdateTimeLogRequest request, IfMatch ifMatch, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var date = TimeLogRules.Day(request.Date, "date", problems);
        var hundredths = TimeLogRules.Hundredths(request.Hours, problems, required: false);
        problems.MaxLength("note", request.Note, InputLimits.TextLength);
        if (problems.Any)
        {
            return problems.ToError();
        }

        return await ChangeAsync(id, ifMatch, caller, async (tx, row, current, project) =>
        {
            var before = row.Hundredths;
            var changes = new Dictionary<string, object?>();
            var previous = new Dictionary<string, object?>();
            if (date is not null && date != row.Date)
            {
                previous["date"] = row.Date;
                changes["date"] = row.Date = date;
            }

            if (hundredths is { } h && h != row.Hundredths)
            {
                previous["hours"] = TimeLogRules.Hours(row.Hundredths);
                changes["hours"] = TimeLogRules.Hours(row.Hundredths = h);
            }

            if (request.Note is { } note && (note.Length == 0 ? null : note) != row.Note)
            {
                previous["note"] = row.Note;
                changes["note"] = row.Note = note.Length == 0 ? null : note;
            }

            if (changes.Count == 0)
            {
                return row.ToLog();
            }

            if ((changes.ContainsKey("date") || changes.ContainsKey("hours"))
                && TimeLogRules.CheckDay(row.UserId, row.Date, await DayTotalAsync(tx, row, ct), row.Hundredths) is { } full)
            {
                return full;
            }

            var sum = await SumAsync(tx, current, project, row.Hundredths - before, ct);
            if (sum.Error is { } invalid)
            {
                return invalid;
            }

            row.Revision++;
            row.UpdatedAt = Now;
            var log = row.ToLog();
            await events.AppendAsync(tx, TimeLogQueries.Save(row), new NewEvent("time_log_updated", row.ProjectId, EntityType, row.Id,
                new { timeLogId = row.Id, taskId = row.TaskId, changes, previous, revision = row.Revision }, caller.UserId), ct);
            await WriteAsync(tx, current, project, sum.Applied!, caller, ct);
            return log;
        }, ct);
    }

    public async Task<ApiError?> DeleteAsync(string id, IfMatch ifMatch, Caller caller, CancellationToken ct) =>
        (await ChangeAsync(id, ifMatch, caller, async (tx, row, current, project) =>
        {
            var sum = await SumAsync(tx, current, project, -row.Hundredths, ct);
            if (sum.Error is { } invalid)
            {
                return invalid;
            }

            var log = row.ToLog();
            await events.AppendAsync(tx, TimeLogQueries.Delete(row.Id), new NewEvent("time_log_deleted", row.ProjectId, EntityType, row.Id,
                new { timeLogId = row.Id, taskId = row.TaskId, timeLog = log }, caller.UserId), ct);
            await WriteAsync(tx, current, project, sum.Applied!, caller, ct);
            return log;
        }, ct)).Error;

    /// <summary>
    /// The one path of every change to a log: its task locked, the log read, then author-or-write,
    /// If-Match against the log's revision and the task still editable, before <paramref name="change"/>.
    /// </summary>
    private Task<TimeLogOutcome> ChangeAsync(
        string id, IfMatch ifMatch, Caller caller, Func<DbTransaction, TimeLogRow, StoredTask, Project, Task<TimeLogOutcome>> change, CancellationToken ct) =>
        db.InTransactionAsync(async tx =>
        {
            if (await logs.TaskIdOfAsync(tx, id, ct) is not { } taskId
                || await tasks.FindForUpdateAsync(tx, taskId, ct) is not var (current, project)
                || await logs.FindAsync(tx, id, ct) is not { } row)
            {
                return TimeLogRules.NotFound(id);
            }

            var refused = MayChange(row, caller)
                ?? ifMatch.Check(row.Revision, $"Time log {Quote.Of(id)}")
                ?? TaskWriter.CheckEditable(current, project);
            return refused is not null ? refused : await change(tx, row, current, project);
        }, ct);

    /// <summary>The day's hours of the log's user without this log, read with the user locked.</summary>
    private async Task<long> DayTotalAsync(DbTransaction tx, TimeLogRow row, CancellationToken ct)
    {
        await logs.LockUserAsync(tx, row.UserId, ct);
        return await logs.DayTotalAsync(tx, row.UserId, row.Date, row.Id, ct);
    }

    /// <summary>Its user and who wrote it change a log, as does anyone who may write on the project.</summary>
    private static ApiError? MayChange(TimeLogRow row, Caller caller) =>
        row.UserId == caller.UserId || row.CreatedBy == caller.UserId || ProjectAccess.Can(caller, row.ProjectId, ProjectPermission.Write)
            ? null
            : ApiError.Forbidden("Only the user whose hours these are, who logged them, or someone who may write on the project changes or deletes a time log");

    private static ApiError? ForSomeoneElse(Caller caller, string projectId, string userId) =>
        userId == caller.UserId || ProjectAccess.Can(caller, projectId, ProjectPermission.Write)
            ? null
            : ApiError.Forbidden("Your role lets you log your own time only; logging for someone else needs write on the project (supervisors)",
                new FieldError("userId", "Leave it out, or send 'me', to log your own time", "FORBIDDEN_FIELD"));

    /// <summary>The user exists (locked, for the daily sum) and works on the project, unless they log their own time.</summary>
    private async Task<ApiError?> CheckUserAsync(DbTransaction tx, Caller caller, string projectId, string userId, CancellationToken ct)
    {
        if (!await logs.LockUserAsync(tx, userId, ct))
        {
            return ApiError.BusinessRule($"User {Quote.Of(userId)} not found", new FieldError("userId", "No such user", ErrorCodes.InvalidValue));
        }

        return userId == caller.UserId || await logs.IsMemberAsync(tx, projectId, userId, ct)
            ? null
            : ApiError.BusinessRule($"User {Quote.Of(userId)} is not a member of project {Quote.Of(projectId)}",
                new FieldError("userId", "Time is logged for members of the task's project", ErrorCodes.InvalidValue));
    }

    private sealed record Sum(AppliedPatch? Applied, ApiError? Error);

    /// <summary>
    /// The task with <c>actualTimeLogged</c> set to the sum of its logs once this write moves it by
    /// <paramref name="delta"/> hundredths, applied as a PATCH would; worked out before anything is written.
    /// </summary>
    private async Task<Sum> SumAsync(DbTransaction tx, StoredTask current, Project project, long delta, CancellationToken ct)
    {
        var total = TimeLogRules.Hours(await logs.TaskTotalAsync(tx, current.Task.Id, ct) + delta);
        var problems = new ValidationProblems();
        var input = TaskInput.Parse(JsonSerializer.SerializeToElement(new JsonObject { ["actualTimeLogged"] = (double)total }), TaskInputKind.Patch, problems);
        return problems.Any || TaskChanges.Apply(current, input, project, time.GetUtcNow().UtcDateTime, problems) is not { } applied
            ? new Sum(null, problems.ToError())
            : new Sum(applied, null);
    }

    private async Task WriteAsync(DbTransaction tx, StoredTask current, Project project, AppliedPatch applied, Caller caller, CancellationToken ct)
    {
        if (applied.Changes.Count > 0)
        {
            await events.AppendAsync(tx, tasks.Update(current, applied.Stored, project),
                TaskEvents.Update(current.Task, applied.Task, applied.Changes, caller.UserId), ct);
        }
    }
}
