using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.Breakdown;

/// <summary>What every breakdown entity answers with; the four collections add their own fields.</summary>
public abstract record BreakdownEntity : IRevisioned
{
    [Description("Derived from the clean names, lowercased; the project's code in front when another project has it")]
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    [Description("active (default), on_hold, omitted, or archived (DELETE)")]
    public required string Status { get; init; }

    public string? Description { get; init; }

    public Dictionary<string, JsonElement> CustomFields { get; init; } = [];

    [Description("Grows by one with every change; sent as the ETag")]
    public int Revision { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }
}

public sealed record Episode : BreakdownEntity
{
    [JsonPropertyName("episode")]
    public required string EpisodeName { get; init; }

    [Description("Position in the project's edit, from 1")]
    public int? CutOrder { get; init; }

    [Description("Non-archived sequences of the episode")]
    public long SequenceCount { get; init; }

    [Description("Non-archived tasks of the episode's shots")]
    public long TaskCount { get; init; }
}

public sealed record Sequence : BreakdownEntity
{
    public required string Episode { get; init; }

    [JsonPropertyName("sequence")]
    public required string SequenceName { get; init; }

    [Description("Position in the episode, from 1")]
    public int? CutOrder { get; init; }

    [Description("Non-archived shots of the sequence")]
    public long ShotCount { get; init; }

    [Description("Non-archived tasks of the sequence's shots")]
    public long TaskCount { get; init; }
}

public sealed record Shot : BreakdownEntity
{
    public required string Episode { get; init; }

    public required string Sequence { get; init; }

    [JsonPropertyName("shot")]
    public required string ShotName { get; init; }

    [Description("Position in the sequence, from 1 (PUT /sequences/{id}/order)")]
    public int? CutOrder { get; init; }

    public int? FrameIn { get; init; }

    public int? FrameOut { get; init; }

    [Description("Extra frames on each side of the cut")]
    public int? Handles { get; init; }

    [Description("Frames per second, up to 3 decimals; null means the project's")]
    public decimal? Fps { get; init; }

    public string? ThumbnailMediaId { get; init; }

    [Description("Ids of the assets cast in the shot, in the order given")]
    public List<string> Casting { get; init; } = [];

    [Description("Non-archived tasks of the shot")]
    public long TaskCount { get; init; }
}

public sealed record Asset : BreakdownEntity
{
    public required string Name { get; init; }

    [Description("character, prop, environment, vehicle, fx or other")]
    public required string AssetType { get; init; }

    public List<string> ReferenceMediaIds { get; init; } = [];

    [Description("Free JSON object, e.g. a character's prompt and LoRA settings")]
    public JsonElement GenerationProfile { get; init; }

    [Description("Non-archived tasks of the asset")]
    public long TaskCount { get; init; }
}

/// <summary>Body of <c>POST /{collection}</c>: the names for the collection, and any editable field.</summary>
public sealed record BreakdownCreateDoc
{
    [Required, MaxLength(InputLimits.ProjectIdLength)]
    public string? ProjectId { get; init; }

    [Description("Episodes, sequences, shots"), MaxLength(InputLimits.NameLength)]
    public string? Episode { get; init; }

    [Description("Sequences, shots"), MaxLength(InputLimits.NameLength)]
    public string? Sequence { get; init; }

    [Description("Shots"), MaxLength(InputLimits.NameLength)]
    public string? Shot { get; init; }

    [Description("Assets"), MaxLength(InputLimits.NameLength)]
    public string? Name { get; init; }

    [Range(1, InputLimits.MaxFrame)]
    public int? CutOrder { get; init; }

    [MaxLength(InputLimits.TextLength)]
    public string? Description { get; init; }

    [Description("active, on_hold or omitted"), MaxLength(InputLimits.WordLength)]
    public string? Status { get; init; }

    [Range(0, InputLimits.MaxFrame)]
    public int? FrameIn { get; init; }

    [Range(0, InputLimits.MaxFrame)]
    public int? FrameOut { get; init; }

    [Range(0, InputLimits.MaxFrame)]
    public int? Handles { get; init; }

    [Range(0.001, 1000)]
    public decimal? Fps { get; init; }

    [MaxLength(InputLimits.OpaqueValueLength)]
    public string? ThumbnailMediaId { get; init; }

    [Description("character, prop, environment, vehicle, fx or other (default)"), MaxLength(InputLimits.WordLength)]
    public string? AssetType { get; init; }

    [MaxLength(BreakdownRules.MaxReferences), ItemMaxLength(InputLimits.OpaqueValueLength)]
    public List<string>? ReferenceMediaIds { get; init; }

    [MapLimits(InputLimits.CustomFieldsCount, InputLimits.CustomFieldNameLength)]
    public Dictionary<string, JsonElement>? GenerationProfile { get; init; }

    [MapLimits(InputLimits.CustomFieldsCount, InputLimits.CustomFieldNameLength)]
    public Dictionary<string, JsonElement>? CustomFields { get; init; }
}

/// <summary>Body of <c>PATCH /{collection}/{id}</c>: fields left out are kept; the names are read-only.</summary>
public sealed record BreakdownPatchDoc
{
    [Range(1, InputLimits.MaxFrame)]
    public int? CutOrder { get; init; }

    [MaxLength(InputLimits.TextLength)]
    public string? Description { get; init; }

    [Description("active, on_hold or omitted (archived is DELETE)"), MaxLength(InputLimits.WordLength)]
    public string? Status { get; init; }

    [Range(0, InputLimits.MaxFrame)]
    public int? FrameIn { get; init; }

    [Range(0, InputLimits.MaxFrame)]
    public int? FrameOut { get; init; }

    [Range(0, InputLimits.MaxFrame)]
    public int? Handles { get; init; }

    [Range(0.001, 1000)]
    public decimal? Fps { get; init; }

    [MaxLength(InputLimits.OpaqueValueLength)]
    public string? ThumbnailMediaId { get; init; }

    [MaxLength(InputLimits.WordLength)]
    public string? AssetType { get; init; }

    [MaxLength(BreakdownRules.MaxReferences), ItemMaxLength(InputLimits.OpaqueValueLength)]
    public List<string>? ReferenceMediaIds { get; init; }

    [MapLimits(InputLimits.CustomFieldsCount, InputLimits.CustomFieldNameLength)]
    public Dictionary<string, JsonElement>? GenerationProfile { get; init; }

    [MapLimits(InputLimits.CustomFieldsCount, InputLimits.CustomFieldNameLength)]
    public Dictionary<string, JsonElement>? CustomFields { get; init; }
}

/// <summary>The filters a breakdown list was computed with; filters not given are left out.</summary>
public sealed record BreakdownFilters
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProjectId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Episode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Sequence { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AssetType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Search { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IncludeArchived { get; init; }
}

/// <summary>The position of the last entity sent, in its collection's order.</summary>
public sealed record BreakdownCursor(string Kind, string? EpisodeKey, string? SequenceKey, int? CutOrder, string? NameKey, string Id);

/// <summary>Body of <c>PUT /shots/{id}/casting</c>.</summary>
public sealed record CastingRequest
{
    [Description("Ids of assets of the shot's project, in the order to show; repeats collapse; an empty list clears the casting"),
     Required, MaxLength(BreakdownRules.MaxReferences), ItemMaxLength(InputLimits.TaskIdLength)]
    public List<string?>? AssetIds { get; init; }
}

/// <summary>Body of <c>PUT /sequences/{id}/order</c>.</summary>
public sealed record ShotOrderRequest
{
    [Description("Every shot of the sequence (archived ones too), exactly once, in cut order"), Required, MaxLength(InputLimits.BulkItems), ItemMaxLength(InputLimits.OpaqueValueLength)]
    public List<string?>? ShotIds { get; init; }
}

/// <summary>What <c>GET /shots/{id}/tasks</c> answers, as documented: each item is a task.</summary>
public sealed record ShotTasksDoc(string ShotId, IReadOnlyList<TaskItem> Items, int Total);
