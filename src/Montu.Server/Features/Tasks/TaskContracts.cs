using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.Tasks;

/// <summary>First and last frame of a shot; <c>start</c> is always below <c>end</c>.</summary>
public sealed record FrameRange(
    [property: Range(-InputLimits.MaxFrame, InputLimits.MaxFrame)] int Start,
    [property: Range(-InputLimits.MaxFrame, InputLimits.MaxFrame)] int End);

/// <summary>
/// A task as the API returns it. <c>customFields</c> and <c>versions</c>
/// hold user data and are returned exactly as stored.
/// </summary>
public sealed record TaskItem : IRevisioned
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public string Type { get; init; } = TaskRules.Shot;

    public string? Episode { get; init; }

    public string? Sequence { get; init; }

    public string? Shot { get; init; }

    public string? Asset { get; init; }

    public string Task { get; init; } = "";

    public string? Artist { get; init; }

    public string Status { get; init; } = "";

    public string Priority { get; init; } = "";

    public string? Milestone { get; init; }

    public string? MilestoneNote { get; init; }

    public FrameRange? FrameRange { get; init; }

    public DateTime? StartTime { get; init; }

    public DateTime? Deadline { get; init; }

    public double? EstimatedDurationHours { get; init; }

    public double ActualTimeLogged { get; init; }

    [ItemMaxLength(InputLimits.NameLength)]
    public IReadOnlyList<JsonElement> Versions { get; init; } = [];

    public string? CurrentVersion { get; init; }

    public string? PublishedVersion { get; init; }

    public string? FileExtension { get; init; }

    public bool MasterFile { get; init; }

    public string? WorkingFilePath { get; init; }

    public string? RenderOutputPath { get; init; }

    public string? MediaFilePath { get; init; }

    public string? CacheFilePath { get; init; }

    public string? Filename { get; init; }

    public string? EpisodeClean { get; init; }

    public string? SequenceClean { get; init; }

    public string? ShotClean { get; init; }

    public string? Description { get; init; }

    [MapLimits(InputLimits.CustomFieldsCount, InputLimits.CustomFieldNameLength)]
    public IReadOnlyDictionary<string, JsonElement> CustomFields { get; init; } = new Dictionary<string, JsonElement>();

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public string? CreatedBy { get; init; }

    [Description("Grows by one with every change; sent as the ETag")]
    public int Revision { get; init; } = 1;
}

/// <summary>The filters a task list was computed with; filters not given are left out.</summary>
public sealed record TaskFilters
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProjectId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Episode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Sequence { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Shot { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TaskType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Artist { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Priority { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Milestone { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Search { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? DeadlineBefore { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? DeadlineAfter { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? UpdatedSince { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IncludeArchived { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Blocked { get; init; }
}

/// <summary>One item of <c>PATCH /tasks/bulk-update</c> (v2.1) as it binds; <see cref="BulkUpdateItemDoc"/> documents it.</summary>
public sealed record BulkUpdateItem
{
    public string? TaskId { get; init; }

    public JsonElement? Updates { get; init; }
}

/// <summary>Body of <c>POST /tasks/bulk</c> (v2.0) as it binds; <see cref="BulkOperationDoc"/> documents it.</summary>
public sealed record BulkOperationRequest
{
    public List<string>? TaskIds { get; init; }

    /// <summary><c>update_status</c>, <c>assign</c>, <c>update</c> or <c>archive</c>.</summary>
    public string? Operation { get; init; }

    public JsonElement? Data { get; init; }
}

/// <summary>
/// The answer of both bulk endpoints (the v2.0 shape): how many items were applied, the error of
/// each item that was not, and the ids of the tasks applied.
/// </summary>
public sealed record BulkResult(int Successful, int Failed, IReadOnlyList<BulkItemError> Errors, IReadOnlyList<string> UpdatedTasks);

/// <summary>
/// The answer of <c>PATCH /tasks/bulk-update</c>: the per-item result of <see cref="BulkResult"/>
/// and v2.1's <c>message</c> and <c>updatedCount</c>, the number of distinct tasks updated.
/// </summary>
public sealed record BulkUpdateResult(string Message, int UpdatedCount, int Successful, int Failed, IReadOnlyList<BulkItemError> Errors, IReadOnlyList<string> UpdatedTasks)
{
    public static BulkUpdateResult From(BulkResult result) =>
        new($"Successfully updated {result.UpdatedTasks.Count} tasks", result.UpdatedTasks.Count, result.Successful, result.Failed, result.Errors, result.UpdatedTasks);
}

/// <summary>Why one bulk item was not applied; <c>details</c> names the fields as a single PATCH would.</summary>
public sealed record BulkItemError(string TaskId, string Error, string Code, IReadOnlyList<FieldError> Details);
