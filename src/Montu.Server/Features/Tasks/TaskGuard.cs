using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// Who may change one task. <c>write</c> in its project allows any change; artists, vfx and
/// crew (<see cref="ProjectPermission.WriteAssigned"/>) change only tasks assigned to them and
/// cannot hand them to someone else. A task in a project the caller cannot read is "not found".
/// </summary>
public sealed class TaskGuard(Caller caller)
{
    public string UserId => caller.UserId;

    /// <summary>Before the change: may the caller edit this task at all?</summary>
    public ApiError? MayEdit(TaskItem task)
    {
        if (ProjectAccess.Check(caller, task.ProjectId, ProjectPermission.WriteAssigned, NotFoundMessage(task)) is { } denied)
        {
            return denied;
        }

        return CanWriteAll(task) || IsAssignedToCaller(task)
            ? null
            : ApiError.Forbidden($"Task {Quote.Of(task.Id)} is assigned to {(task.Artist is null ? "nobody" : Quote.Of(task.Artist))}; your role lets you change only your own tasks");
    }

    /// <summary>
    /// After computing a client's change (PATCH, PUT, bulk, CSV import): assignees may not reassign
    /// their task, and nobody sets <c>actualTimeLogged</c>, the sum of the task's time logs
    /// (decision 0037); sending the value it has, as a re-imported export does, changes nothing.
    /// </summary>
    public ApiError? MayApply(TaskItem before, TaskItem after)
    {
        if (after.ActualTimeLogged != before.ActualTimeLogged)
        {
            return TimeLogged(before);
        }

        return after.Artist == before.Artist || CanWriteAll(before)
            ? null
            : ApiError.Forbidden("Your role lets you update your own tasks but not reassign them", new FieldError("artist", "Only members with write access reassign tasks", "FORBIDDEN_FIELD"));
    }

    private static ApiError TimeLogged(TaskItem task) => ApiError.BusinessRule(
        $"Task {Quote.Of(task.Id)} has {task.ActualTimeLogged.ToString(System.Globalization.CultureInfo.InvariantCulture)} h logged: actualTimeLogged is the sum of its time logs; "
        + "log hours with POST /tasks/{id}/time-logs, change or delete them with PATCH or DELETE /time-logs/{id}",
        new FieldError("actualTimeLogged", "Kept by the time logs; only its current value is accepted", ErrorCodes.ReadOnlyField));

    /// <summary>Archiving is a production decision: it needs write access to the whole project.</summary>
    public ApiError? MayArchive(TaskItem task) =>
        ProjectAccess.Check(caller, task.ProjectId, ProjectPermission.Write, NotFoundMessage(task));

    /// <summary>
    /// <c>artist</c> holds a studio handle; it names the caller when it equals their user id,
    /// email, or email name (<c>maya.okafor</c> for <c>maya.okafor@studio.com</c>), in any case.
    /// </summary>
    private bool IsAssignedToCaller(TaskItem task)
    {
        if (string.IsNullOrEmpty(task.Artist))
        {
            return false;
        }

        var email = caller.User.Email;
        var handle = email[..Math.Max(0, email.IndexOf('@'))];
        return string.Equals(task.Artist, caller.UserId, StringComparison.OrdinalIgnoreCase)
            || string.Equals(task.Artist, email, StringComparison.OrdinalIgnoreCase)
            || string.Equals(task.Artist, handle, StringComparison.OrdinalIgnoreCase);
    }

    private bool CanWriteAll(TaskItem task) => ProjectAccess.Can(caller, task.ProjectId, ProjectPermission.Write);

    private static string NotFoundMessage(TaskItem task) => $"Task {Quote.Of(task.Id)} not found";
}
