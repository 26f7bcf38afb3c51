using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Text.Json;
using Montu.Server.Data;
using Montu.Server.Features.Notifications;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Media;

/// <summary>Body of <c>POST /media/{id}/approve</c>.</summary>
public sealed record ApproveMediaRequest
{
    [Description("pending, approved, rejected or needs_revision"), MaxLength(InputLimits.WordLength)]
    public string? ApprovalStatus { get; init; }

    [MaxLength(InputLimits.TextLength)]
    public string? ReviewNotes { get; init; }

    [Description("Accepted for v2.0 clients: the reviewer is always the caller, and naming anyone else is 400"), MaxLength(InputLimits.EmailLength)]
    public string? Reviewer { get; init; }
}

/// <summary>
/// Reviewing a media version: its approval status and notes, and in the same transaction the
/// status of its task (approved → approved; rejected or needs_revision → needs_revision; pending
/// leaves it), unless the project's <c>approvalStatusMap</c> says otherwise.
/// </summary>
public sealed class MediaApprovals(Db db, MediaQueries media, TaskQueries tasks, ProjectQueries projects, EventLog events, TimeProvider time)
{
    private static readonly Dictionary<string, string> DefaultTaskStatus = new(StringComparer.Ordinal)
    {
        ["approved"] = "approved",
        ["rejected"] = "needs_revision",
        ["needs_revision"] = "needs_revision",
    };

    public async Task<MediaOutcome> ApproveAsync(string id, ApproveMediaRequest request, IfMatch ifMatch, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (request.ApprovalStatus is null)
        {
            problems.Required("approvalStatus");
        }
        else if (!MediaRules.ApprovalStatuses.Contains(request.ApprovalStatus))
        {
            problems.Add("approvalStatus", $"'approvalStatus' must be one of: {string.Join(", ", MediaRules.ApprovalStatuses)}");
        }

        problems.MaxLength("reviewNotes", request.ReviewNotes, InputLimits.TextLength);
        if (request.Reviewer is { } reviewer && !Names(caller).Contains(reviewer.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            problems.Add("reviewer", "The reviewer is the signed-in user; leave 'reviewer' out or name yourself");
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        var now = TaskChanges.Stored(time.GetUtcNow().UtcDateTime);
        return await db.InTransactionAsync(tx => ApplyAsync(tx, id, request.ApprovalStatus!, request.ReviewNotes, ifMatch, caller, now, ct), ct);
    }

    /// <summary>
    /// Reviews one version inside the caller's transaction (the approve route's, or a playlist's
    /// close, which reviews many in one): the media's review fields, its task's status and both
    /// events. The status must be one of <see cref="MediaRules.ApprovalStatuses"/>. A refusal writes
    /// nothing of this version; the caller decides what becomes of the rest of its transaction.
    /// </summary>
    public async Task<MediaOutcome> ApplyAsync(
        DbTransaction tx, string id, string status, string? notes, IfMatch ifMatch, Caller caller, DateTime now, CancellationToken ct)
    {
        if (await media.FindForUpdateAsync(tx, id, ct) is not { } row)
        {
            return MediaChanges.NotFound(id);
        }

        if (ifMatch.Check(row.Revision, $"Media {Quote.Of(id)}") is { } stale)
        {
            return stale;
        }

        string? taskStatus = null;
        string? artist = null;
        if (row.TaskId is { } taskId)
        {
            var (wanted, refused) = await TaskStatusAsync(tx, row, status, ct);
            if (refused is not null)
            {
                return refused;
            }

            var (current, project) = (await tasks.FindForUpdateAsync(tx, taskId, ct))!.Value;
            if (wanted is not null && await MoveTaskAsync(tx, current, project, wanted, caller, now, ct) is { } error)
            {
                return error;
            }

            taskStatus = wanted;
            artist = current.Task.Artist;
        }

        row.ApprovalStatus = status;
        row.ReviewedBy = caller.UserId;
        row.ReviewNotes = notes;
        row.ReviewedAt = now;
        row.Revision++;
        row.UpdatedAt = now;
        await events.AppendAsync(tx, media.Review(row), new NewEvent("media_approved", row.ProjectId, "media", id,
            new { mediaId = id, approvalStatus = status, reviewer = caller.UserId, reviewNotes = notes, taskId = row.TaskId, taskStatus, revision = row.Revision },
            caller.UserId)
        {
            Notices = Reviewed(row, artist),
        }, ct);
        return row.ToItem();
    }

    /// <summary>The status the task takes, null to leave it; or why it cannot take it.</summary>
    private async Task<(string? Status, ApiError? Refused)> TaskStatusAsync(DbTransaction tx, MediaRow row, string approval, CancellationToken ct)
    {
        var project = (await projects.FindAsync(tx.Connection!, row.ProjectId, ct, tx))!;
        var wanted = project.ApprovalStatusMap.GetValueOrDefault(approval) ?? DefaultTaskStatus.GetValueOrDefault(approval);
        return wanted is null || project.TaskStatuses.Contains(wanted)
            ? (wanted, null)
            : (null, ApiError.BusinessRule(
                $"Marking it {approval} sets its task to {Quote.Of(wanted)}, which is not one of the project's taskStatuses; map it in the project's approvalStatusMap"));
    }

    /// <summary>
    /// A decision tells the version's author and its task's artist; a reset to pending tells no one.
    /// It says what the task's own status event would, so that one tells no one itself.
    /// </summary>
    private static IReadOnlyList<Notice> Reviewed(MediaRow row, string? artist) => row.ApprovalStatus == "pending" ? [] :
    [
        new Notice(NotificationRules.MediaReviewed, [row.Author, artist], $"Version {NotificationRules.Words(row.ApprovalStatus)}",
            $"{row.FileName}{(row.Version is { } version ? $" ({version})" : "")} marked {NotificationRules.Words(row.ApprovalStatus)}"
                + (string.IsNullOrWhiteSpace(row.ReviewNotes) ? "" : $": {row.ReviewNotes}"),
            new Dictionary<string, object?>
            {
                ["mediaId"] = row.Id,
                ["projectId"] = row.ProjectId,
                ["taskId"] = row.TaskId,
                ["approvalStatus"] = row.ApprovalStatus,
                ["reviewNotes"] = row.ReviewNotes,
            })
        {
            Priority = row.ApprovalStatus == "approved" ? NotificationRules.Medium : NotificationRules.High,
            Subject = row.Id,
        },
    ];

    /// <summary>Sets the task's status as a PATCH would, with its own event (none when it already has it); or why it cannot.</summary>
    private async Task<ApiError?> MoveTaskAsync(DbTransaction tx, StoredTask current, Project project, string status, Caller caller, DateTime now, CancellationToken ct)
    {
        if (TaskWriter.CheckEditable(current, project) is { } closed)
        {
            return closed;
        }

        var problems = new ValidationProblems();
        var input = TaskInput.Parse(JsonSerializer.SerializeToElement(new { status }), TaskInputKind.Patch, problems);
        if (TaskChanges.Apply(current, input, project, now, problems) is not { } patch)
        {
            return problems.ToError();
        }

        if (patch.Changes.Count > 0)
        {
            await events.AppendAsync(tx, tasks.Update(current, patch.Stored, project),
                TaskEvents.Update(current.Task, patch.Task, patch.Changes, caller.UserId) with { Notices = [] }, ct);
        }

        return null;
    }

    /// <summary>What a v2.0 client may put in <c>reviewer</c> for the caller: their id, email, or the name before the <c>@</c>.</summary>
    private static IEnumerable<string> Names(Caller caller)
    {
        var email = caller.User.Email;
        return [caller.UserId, email, email[..Math.Max(0, email.IndexOf('@'))]];
    }
}
