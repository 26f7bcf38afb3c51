using System.ComponentModel;
using System.Text.Json;

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
    public string? Type { get; init; }

    public string? Episode { get; init; }

    public string? Sequence { get; init; }

    public string? Shot { get; init; }

    public string? Asset { get; init; }

    [Description("One of the project's taskTypes")]
    public string? Task { get; init; }

    public string? Artist { get; init; }

    [Description("One of the project's taskStatuses; archive with DELETE")]
    public string? Status { get; init; }

    [Description("One of the project's priorityLevels")]
    public string? Priority { get; init; }

    [Description("One of the project's milestones")]
    public string? Milestone { get; init; }

    public string? MilestoneNote { get; init; }

    [Description("start < end; a partial range merges with the current one")]
    public FrameRange? FrameRange { get; init; }

    public DateTime? StartTime { get; init; }

    public DateTime? Deadline { get; init; }

    public double? EstimatedDurationHours { get; init; }

    public double? ActualTimeLogged { get; init; }

    public IReadOnlyList<JsonElement>? Versions { get; init; }

    public string? CurrentVersion { get; init; }

    public string? PublishedVersion { get; init; }

    public string? FileExtension { get; init; }

    public bool? MasterFile { get; init; }

    public string? WorkingFilePath { get; init; }

    public string? RenderOutputPath { get; init; }

    public string? MediaFilePath { get; init; }

    public string? CacheFilePath { get; init; }

    public string? Filename { get; init; }

    public string? Description { get; init; }

    [Description("Merged key by key into the task's customFields; a key set to null is removed")]
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
    public string? Id { get; init; }

    [Description("Required; an existing, not archived project")]
    public string? ProjectId { get; init; }
}
