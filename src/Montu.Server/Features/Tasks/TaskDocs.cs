using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// Fields to change; keys in camelCase or snake_case, and null clears an optional field. Any
/// other key is stored into customFields, unless it is spelled almost like a task field
/// (400 UNKNOWN_FIELD naming the field meant; send such a custom field inside customFields).
/// id, projectId, createdAt, updatedAt, createdBy and the *Clean names are set by the server
/// (400 READ_ONLY_FIELD).
/// </summary>
/// <remarks>Only documents the body: it is read key by key (<see cref="TaskInput"/>) so unknown keys can become custom fields.</remarks>
public record TaskPatchDoc
{
    [Description("shot (needs episode, sequence, shot) or asset (needs asset)")]
    [MaxLength(InputLimits.NameLength)]
    public string? Type { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Episode { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Sequence { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Shot { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Asset { get; init; }

    [Description("One of the project's taskTypes")]
    [MaxLength(InputLimits.NameLength)]
    public string? Task { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Artist { get; init; }

    [Description("One of the project's taskStatuses; archive with DELETE")]
    [MaxLength(InputLimits.NameLength)]
    public string? Status { get; init; }

    [Description("One of the project's priorityLevels")]
    [MaxLength(InputLimits.NameLength)]
    public string? Priority { get; init; }

    [Description("One of the project's milestones")]
    [MaxLength(InputLimits.NameLength)]
    public string? Milestone { get; init; }

    [MaxLength(InputLimits.TextLength)]
    public string? MilestoneNote { get; init; }

    [Description("start < end; a partial range merges with the current one")]
    public FrameRange? FrameRange { get; init; }

    public DateTime? StartTime { get; init; }

    public DateTime? Deadline { get; init; }

    [Range(0, InputLimits.MaxHours)]
    public double? EstimatedDurationHours { get; init; }

    [Range(0, InputLimits.MaxHours)]
    public double? ActualTimeLogged { get; init; }

    [MaxLength(InputLimits.VersionsCount), ItemMaxLength(InputLimits.NameLength)]
    public IReadOnlyList<string>? Versions { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? CurrentVersion { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? PublishedVersion { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? FileExtension { get; init; }

    public bool? MasterFile { get; init; }

    [Description("Laid out from the project's working_file template (asset_working_file for assets) unless set here; a value of your own is kept until you send null")]
    [MaxLength(InputLimits.TextLength)]
    public string? WorkingFilePath { get; init; }

    [Description("Laid out from the project's render_output template (asset_render_output for assets) unless set here; a value of your own is kept until you send null")]
    [MaxLength(InputLimits.TextLength)]
    public string? RenderOutputPath { get; init; }

    [Description("Laid out from the project's media_file template (asset_media_file for assets) unless set here; a value of your own is kept until you send null")]
    [MaxLength(InputLimits.TextLength)]
    public string? MediaFilePath { get; init; }

    [Description("Laid out from the project's cache_file template (asset_cache_file for assets) unless set here; a value of your own is kept until you send null")]
    [MaxLength(InputLimits.TextLength)]
    public string? CacheFilePath { get; init; }

    [Description("Laid out from the file-name pattern ending in fileExtension (else the first that names one file) unless set here; a value of your own is kept until you send null")]
    [MaxLength(InputLimits.TextLength)]
    public string? Filename { get; init; }

    [MaxLength(InputLimits.TextLength)]
    public string? Description { get; init; }

    [Description("Merged key by key into the task's customFields; a key set to null is removed")]
    [MapLimits(InputLimits.CustomFieldsCount, InputLimits.CustomFieldNameLength)]
    public IReadOnlyDictionary<string, JsonElement>? CustomFields { get; init; }
}

/// <summary>
/// A new task; keys in camelCase or snake_case. Custom fields go inside customFields: any other
/// key is 400 UNKNOWN_FIELD. Without id, the id is derived: {episode}_{sequence}_{shot}_{task} or
/// {asset}_{task}, lowercased, with the project's code in front when another project has it.
/// </summary>
public sealed record TaskCreateDoc : TaskPatchDoc
{
    [Description("Optional; 1 to 128 letters, digits, '.', '_' or '-'")]
    [MaxLength(InputLimits.TaskIdLength), RegularExpression(InputLimits.TaskIdPattern)]
    public string? Id { get; init; }

    [Description("Required; an existing, not archived project")]
    [MaxLength(InputLimits.ProjectIdLength), RegularExpression(InputLimits.ProjectIdPattern)]
    public string? ProjectId { get; init; }
}

/// <summary>One item of <c>PATCH /tasks/bulk-update</c>: the task, and its changes as a PATCH body.</summary>
public sealed record BulkUpdateItemDoc
{
    [MaxLength(InputLimits.TaskIdLength)]
    public required string TaskId { get; init; }

    public required TaskPatchDoc Updates { get; init; }
}

/// <summary>The body of <c>POST /tasks/bulk</c> (v2.0): one operation applied to every task listed.</summary>
public sealed record BulkOperationDoc
{
    [MaxLength(InputLimits.BulkItems), ItemMaxLength(InputLimits.TaskIdLength)]
    public required IReadOnlyList<string> TaskIds { get; init; }

    [Description("update_status, assign, update or archive"), MaxLength(InputLimits.WordLength)]
    public required string Operation { get; init; }

    [Description("The fields to set, as a PATCH body: status for update_status, artist for assign; archive needs none")]
    public TaskPatchDoc? Data { get; init; }
}
