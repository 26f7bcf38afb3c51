using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Media;

/// <summary>
/// The fields of <c>POST /media</c>, for the API description: the body is read part by part
/// (<see cref="MediaUploads"/>), never bound. Fields may also be sent in snake_case (<c>task_id</c>, <c>project_id</c>), as v2.0 clients do.
/// </summary>
public sealed record MediaUploadForm
{
    [Required, Description("The file; at most MAX_FILE_SIZE bytes (2 GiB by default), of an accepted type (ALLOWED_FILE_TYPES)")]
    public IFormFile? File { get; init; }

    [MaxLength(InputLimits.TaskIdLength), Description("The task this is a version of")]
    public string? TaskId { get; init; }

    [MaxLength(InputLimits.ProjectIdLength), Description("For a project-level reference file, instead of task_id")]
    public string? ProjectId { get; init; }

    [MaxLength(16), Description("v003, 3 or 003; by default the task's next version. A taken version is 409")]
    public string? Version { get; init; }

    [MaxLength(InputLimits.TextLength)]
    public string? Description { get; init; }

    [MaxLength(InputLimits.TagsCount * (InputLimits.TagLength + 1)), Description("Comma-separated; the field may also be repeated")]
    public string? Tags { get; init; }
}
