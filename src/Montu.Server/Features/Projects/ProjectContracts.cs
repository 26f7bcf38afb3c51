using System.Text.Json.Serialization;

namespace Montu.Server.Features.Projects;

/// <summary>Where each kind of file lives: drive letters or mount roots.</summary>
public sealed record DriveMapping
{
    public string? WorkingFiles { get; init; }

    public string? RenderOutputs { get; init; }

    public string? MediaFiles { get; init; }

    public string? CacheFiles { get; init; }

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

    public string? MiddlePath { get; init; }

    public string? VersionDir { get; init; }

    public string? WorkDir { get; init; }

    public string? PublishDir { get; init; }

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
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>Body of <c>POST /projects</c>. Lists left out get the defaults of the v2.0 example.</summary>
public sealed record CreateProjectRequest
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public DriveMapping? DriveMapping { get; init; }

    public PathSegments? PathSegments { get; init; }

    public Dictionary<string, string>? Templates { get; init; }

    public Dictionary<string, string>? FilenamePatterns { get; init; }

    public List<string>? TaskTypes { get; init; }

    public List<string>? Milestones { get; init; }

    public List<string>? PriorityLevels { get; init; }

    public List<string>? TaskStatuses { get; init; }
}

/// <summary>
/// Body of <c>PATCH</c>/<c>PUT /projects/{id}</c>: only the fields sent change. <c>driveMapping</c>
/// and <c>pathSegments</c> merge key by key; <c>templates</c> and <c>filenamePatterns</c> merge
/// as a JSON merge patch (a key set to null is removed); lists are replaced.
/// </summary>
public sealed record UpdateProjectRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? Status { get; init; }

    public DriveMapping? DriveMapping { get; init; }

    public PathSegments? PathSegments { get; init; }

    public Dictionary<string, string?>? Templates { get; init; }

    public Dictionary<string, string?>? FilenamePatterns { get; init; }

    public List<string>? TaskTypes { get; init; }

    public List<string>? Milestones { get; init; }

    public List<string>? PriorityLevels { get; init; }

    public List<string>? TaskStatuses { get; init; }
}

/// <summary>The filters a project list was computed with.</summary>
public sealed record ProjectFilters(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Search,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? IncludeArchived);

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
