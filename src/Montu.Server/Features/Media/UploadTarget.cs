using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Media;

/// <summary>What the version belongs to: a task, or a project for reference files.</summary>
public sealed class UploadTarget
{
    public string? TaskId { get; set; }

    public string? ProjectId { get; set; }

    public bool IsGiven => TaskId is not null || ProjectId is not null;

    /// <summary>
    /// The problems found in the fields so far, as the 400 to answer; <paramref name="complete"/>
    /// once every field has arrived, when a task or project is required.
    /// </summary>
    public ApiError? Check(ValidationProblems problems, bool complete)
    {
        if (complete && !IsGiven)
        {
            problems.Add("task_id", "Send task_id (a version of a task) or project_id (a reference file of the project)", ErrorCodes.RequiredField);
        }

        if (TaskId is not null && ProjectId is not null)
        {
            problems.Add("project_id", "Send task_id or project_id, not both: a task's version belongs to its project");
        }

        if (TaskId is { Length: 0 or > InputLimits.TaskIdLength })
        {
            problems.Add("task_id", $"Field 'task_id' must be 1 to {InputLimits.TaskIdLength} characters", ErrorCodes.OutOfRange);
        }

        if (ProjectId is { Length: 0 or > InputLimits.ProjectIdLength })
        {
            problems.Add("project_id", $"Field 'project_id' must be 1 to {InputLimits.ProjectIdLength} characters", ErrorCodes.OutOfRange);
        }

        return problems.Any ? problems.ToError() : null;
    }
}
