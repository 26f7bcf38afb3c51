using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.Projects;

/// <summary>Where each kind of file lives: drive letters or mount roots.</summary>
public sealed record DriveMapping
{
    [MaxLength(InputLimits.PathPartLength)]
    public string? WorkingFiles { get; init; }

    [MaxLength(InputLimits.PathPartLength)]
    public string? RenderOutputs { get; init; }

    [MaxLength(InputLimits.PathPartLength)]
    public string? MediaFiles { get; init; }

    [MaxLength(InputLimits.PathPartLength)]
    public string? CacheFiles { get; init; }

    [MaxLength(InputLimits.PathPartLength)]
    public string? BackupFiles { get; init; }

    public DriveMapping MergedWith(DriveMapping? change) => change is null ? this : new DriveMapping
    {
        WorkingFiles = change.WorkingFiles ?? WorkingFiles,
        RenderOutputs = change.RenderOutputs ?? RenderOutputs,
        MediaFiles = change.MediaFiles ?? MediaFiles,
        CacheFiles = change.CacheFiles ?? CacheFiles,
        BackupFiles = change.BackupFiles ?? BackupFiles,
    };
}

/// <summary>The folder names a project's templates place between drive and file.</summary>
public sealed record PathSegments
{
    public static readonly PathSegments Defaults = new()
    {
        MiddlePath = "all/scene",
        VersionDir = "version",
        WorkDir = "work",
        PublishDir = "publish",
        CacheDir = "cache",
    };

    [MaxLength(InputLimits.PathPartLength)]
    public string? MiddlePath { get; init; }

    [MaxLength(InputLimits.PathPartLength)]
    public string? VersionDir { get; init; }

    [MaxLength(InputLimits.PathPartLength)]
    public string? WorkDir { get; init; }

    [MaxLength(InputLimits.PathPartLength)]
    public string? PublishDir { get; init; }

    [MaxLength(InputLimits.PathPartLength)]
    public string? CacheDir { get; init; }

    public PathSegments MergedWith(PathSegments? change) => change is null ? this : new PathSegments
    {
        MiddlePath = change.MiddlePath ?? MiddlePath,
        VersionDir = change.VersionDir ?? VersionDir,
        WorkDir = change.WorkDir ?? WorkDir,
        PublishDir = change.PublishDir ?? PublishDir,
        CacheDir = change.CacheDir ?? CacheDir,
    };
}

/// <summary>The folder a drive is mounted at on each operating system; one left out keeps the drive as written.</summary>
public sealed record RootMapping
{
    [MaxLength(InputLimits.PathPartLength)]
    public string? Windows { get; init; }

    [MaxLength(InputLimits.PathPartLength)]
    public string? Linux { get; init; }

    [MaxLength(InputLimits.PathPartLength)]
    public string? Macos { get; init; }
}

/// <summary>A show: its storage layout, naming rules and the vocabularies its tasks use.</summary>
public sealed record Project(
    string Id,
    string Name,
    string Description,
    string Status,
    DriveMapping DriveMapping,
    PathSegments PathSegments,
    IReadOnlyDictionary<string, string> Templates,
    IReadOnlyDictionary<string, string> FilenamePatterns,
    IReadOnlyList<string> TaskTypes,
    IReadOnlyList<string> Milestones,
    IReadOnlyList<string> PriorityLevels,
    IReadOnlyList<string> TaskStatuses,
    [property: Description("The task statuses that count as completed in statistics and analytics, each one of taskStatuses (default: approved and completed, those of them taskStatuses has)")]
    IReadOnlyList<string> DoneStatuses,
    [property: Description("The statuses a task of each listed type may take, each a non-empty subset of taskStatuses; a type left out takes every one of taskStatuses")]
    IReadOnlyDictionary<string, IReadOnlyList<string>> TaskTypeStatuses,
    [property: Description("The task status approving a media version sets, by approval status; left out, approved sets approved and rejected or needs_revision set needs_revision")]
    IReadOnlyDictionary<string, string> ApprovalStatusMap,
    [property: Description("Where other operating systems mount each drive, by drive as written in driveMapping: {\"V:\": {\"linux\": \"/mnt/vfx/working\", \"macos\": \"/Volumes/working\"}}")]
    IReadOnlyDictionary<string, RootMapping> RootMappings,
    [property: Description("Regular expressions that episode, sequence, shot and asset names must match on CSV import")]
    IReadOnlyDictionary<string, string> NamingRules,
    [property: Description("Changes to the project, its tasks and its media need If-Match (428 without it)")]
    bool RequireIfMatch,
    [property: Description("Grows by one with every change; sent as the ETag")]
    int Revision,
    DateTime CreatedAt,
    DateTime UpdatedAt) : IRevisioned;

/// <summary>Body of <c>POST /projects</c>. Lists left out get the defaults of the v2.0 example.</summary>
public sealed record CreateProjectRequest
{
    [MaxLength(InputLimits.ProjectIdLength), RegularExpression(InputLimits.ProjectIdPattern)]
    public string? Id { get; init; }

    [MaxLength(InputLimits.ProjectNameLength)]
    public string? Name { get; init; }

    [MaxLength(InputLimits.TextLength)]
    public string? Description { get; init; }

    public DriveMapping? DriveMapping { get; init; }

    public PathSegments? PathSegments { get; init; }

    [MapLimits(InputLimits.TemplatesCount, InputLimits.TemplateNameLength, MaxValueLength = InputLimits.TemplateLength)]
    public Dictionary<string, string>? Templates { get; init; }

    [MapLimits(InputLimits.TemplatesCount, InputLimits.TemplateNameLength, MaxValueLength = InputLimits.TemplateLength)]
    public Dictionary<string, string>? FilenamePatterns { get; init; }

    [MaxLength(InputLimits.VocabularyCount), ItemMaxLength(InputLimits.VocabularyValueLength)]
    public List<string>? TaskTypes { get; init; }

    [MaxLength(InputLimits.VocabularyCount), ItemMaxLength(InputLimits.VocabularyValueLength)]
    public List<string>? Milestones { get; init; }

    [MaxLength(InputLimits.VocabularyCount), ItemMaxLength(InputLimits.VocabularyValueLength)]
    public List<string>? PriorityLevels { get; init; }

    [MaxLength(InputLimits.VocabularyCount), ItemMaxLength(InputLimits.VocabularyValueLength)]
    public List<string>? TaskStatuses { get; init; }

    [Description("The task statuses that count as completed, each one of taskStatuses; may be empty"), MaxLength(InputLimits.VocabularyCount), ItemMaxLength(InputLimits.VocabularyValueLength)]
    public List<string>? DoneStatuses { get; init; }

    [Description("Task type → the statuses its tasks may take, a non-empty subset of taskStatuses; a type left out takes them all"), MapLimits(InputLimits.VocabularyCount, InputLimits.VocabularyValueLength, MaxValueLength = InputLimits.VocabularyValueLength, MaxValueItems = InputLimits.VocabularyCount)]
    public Dictionary<string, List<string>>? TaskTypeStatuses { get; init; }

    [Description("approved, rejected, needs_revision or pending → one of taskStatuses"), MapLimits(4, InputLimits.WordLength, MaxValueLength = InputLimits.VocabularyValueLength)]
    public Dictionary<string, string>? ApprovalStatusMap { get; init; }

    [Description("Where other operating systems mount each drive, by drive as written in driveMapping")]
    [MapLimits(InputLimits.RootMappingsCount, InputLimits.PathPartLength)]
    public Dictionary<string, RootMapping>? RootMappings { get; init; }

    [Description("episode, sequence, shot or asset → a regular expression the name must match on CSV import")]
    [MapLimits(4, InputLimits.WordLength, MaxValueLength = InputLimits.NamingRuleLength)]
    public Dictionary<string, string>? NamingRules { get; init; }

    [Description("true: every change to the project, its tasks and its media must send If-Match (default false)")]
    public bool? RequireIfMatch { get; init; }
}

/// <summary>
/// Body of <c>PATCH</c>/<c>PUT /projects/{id}</c>: only the fields sent change. <c>driveMapping</c>
/// and <c>pathSegments</c> merge key by key; <c>templates</c>, <c>filenamePatterns</c> and
/// <c>approvalStatusMap</c> merge as a JSON merge patch (a key set to null is removed); lists are replaced.
/// </summary>
public sealed record UpdateProjectRequest
{
    [MaxLength(InputLimits.ProjectNameLength)]
    public string? Name { get; init; }

    [MaxLength(InputLimits.TextLength)]
    public string? Description { get; init; }

    [Description("active or completed; archive with DELETE"), MaxLength(InputLimits.WordLength)]
    public string? Status { get; init; }

    public DriveMapping? DriveMapping { get; init; }

    public PathSegments? PathSegments { get; init; }

    [MapLimits(InputLimits.TemplatesCount, InputLimits.TemplateNameLength, MaxValueLength = InputLimits.TemplateLength)]
    public Dictionary<string, string?>? Templates { get; init; }

    [MapLimits(InputLimits.TemplatesCount, InputLimits.TemplateNameLength, MaxValueLength = InputLimits.TemplateLength)]
    public Dictionary<string, string?>? FilenamePatterns { get; init; }

    [MaxLength(InputLimits.VocabularyCount), ItemMaxLength(InputLimits.VocabularyValueLength)]
    public List<string>? TaskTypes { get; init; }

    [MaxLength(InputLimits.VocabularyCount), ItemMaxLength(InputLimits.VocabularyValueLength)]
    public List<string>? Milestones { get; init; }

    [MaxLength(InputLimits.VocabularyCount), ItemMaxLength(InputLimits.VocabularyValueLength)]
    public List<string>? PriorityLevels { get; init; }

    [MaxLength(InputLimits.VocabularyCount), ItemMaxLength(InputLimits.VocabularyValueLength)]
    public List<string>? TaskStatuses { get; init; }

    [Description("The task statuses that count as completed, each one of taskStatuses; may be empty"), MaxLength(InputLimits.VocabularyCount), ItemMaxLength(InputLimits.VocabularyValueLength)]
    public List<string>? DoneStatuses { get; init; }

    [Description("Merged like templates: a task type set to null takes every one of taskStatuses again"), MapLimits(InputLimits.VocabularyCount, InputLimits.VocabularyValueLength, MaxValueLength = InputLimits.VocabularyValueLength, MaxValueItems = InputLimits.VocabularyCount)]
    public Dictionary<string, List<string>?>? TaskTypeStatuses { get; init; }

    [Description("Merged like templates: a key set to null is removed"), MapLimits(4, InputLimits.WordLength, MaxValueLength = InputLimits.VocabularyValueLength)]
    public Dictionary<string, string?>? ApprovalStatusMap { get; init; }

    [Description("Merged like templates: a drive set to null is removed"), MapLimits(InputLimits.RootMappingsCount, InputLimits.PathPartLength)]
    public Dictionary<string, RootMapping?>? RootMappings { get; init; }

    [Description("Merged like templates: a key set to null is removed"), MapLimits(4, InputLimits.WordLength, MaxValueLength = InputLimits.NamingRuleLength)]
    public Dictionary<string, string?>? NamingRules { get; init; }

    [Description("true: every change to the project, its tasks and its media must send If-Match")]
    public bool? RequireIfMatch { get; init; }
}

/// <summary>The filters a project list was computed with. Filters not given are left out, so none of its keys is required.</summary>
public sealed record ProjectFilters(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Search = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? IncludeArchived = null);

/// <summary><c>GET /projects/{id}/stats</c>, the v2.0 shape plus the storage size in bytes.</summary>
public sealed record ProjectStats(
    string ProjectId,
    long TotalTasks,
    IReadOnlyDictionary<string, long> TasksByStatus,
    IReadOnlyDictionary<string, long> TasksByType,
    long TotalMediaFiles,
    string TotalStorageSize,
    long TotalStorageSizeBytes,
    long ActiveArtists,
    double CompletionPercentage);
