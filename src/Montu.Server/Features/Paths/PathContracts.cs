using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.OpenApi;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Paths;

/// <summary>Body of <c>POST /paths/generate</c>: the values come from <c>taskData</c>, a task, or both (taskData wins).</summary>
public sealed record GeneratePathRequest
{
    [MaxLength(InputLimits.ProjectIdLength)]
    public string? ProjectId { get; init; }

    [Description("The project's template to render (working_file, render_output, ...)"), MaxLength(InputLimits.TemplateNameLength)]
    public string? TemplateType { get; init; }

    [Description("episode, sequence, shot, asset, task, artist, version (v003, 3 or 003), frame, ext")]
    [MapLimits(PathLimits.ValueCount, InputLimits.WordLength, MaxValueLength = InputLimits.NameLength)]
    public Dictionary<string, string?>? TaskData { get; init; }

    [Description("A task of the project whose names, artist and currentVersion are the values"), MaxLength(InputLimits.TaskIdLength)]
    public string? TaskId { get; init; }

    [Description("The project's file-name pattern for {filename}"), MaxLength(InputLimits.TemplateNameLength)]
    public string? FilenamePattern { get; init; }

    [Description("windows, linux or macos: drives are translated by the project's rootMappings (default: as stored)"), MaxLength(InputLimits.WordLength)]
    public string? Os { get; init; }
}

/// <summary>Body of <c>POST /paths/batch</c>: one path per task, for the tasks named or matching the filters.</summary>
public sealed record BatchPathRequest
{
    [MaxLength(InputLimits.ProjectIdLength)]
    public string? ProjectId { get; init; }

    [MaxLength(InputLimits.TemplateNameLength)]
    public string? TemplateType { get; init; }

    [MaxLength(InputLimits.TemplateNameLength)]
    public string? FilenamePattern { get; init; }

    [Description("Tasks of the project, at most 1000"), MaxLength(PathLimits.BatchTasks), ItemMaxLength(InputLimits.TaskIdLength)]
    public List<string>? TaskIds { get; init; }

    [Description("Instead of taskIds: the task list's filters (episode, sequence, shot, task_type, artist, status, priority, milestone, search); at most 1000 tasks may match")]
    public PathTaskFilters? Filters { get; init; }

    [MaxLength(InputLimits.WordLength)]
    public string? Os { get; init; }
}

/// <summary>The task filters a batch accepts, as <c>GET /tasks</c> reads them.</summary>
public sealed record PathTaskFilters
{
    [MaxLength(InputLimits.NameLength)]
    public string? Episode { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Sequence { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Shot { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? TaskType { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Artist { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Status { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Priority { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Milestone { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Search { get; init; }

    public TaskFilters ToFilters(string projectId) => new()
    {
        ProjectId = projectId,
        Episode = QueryValues.Text(Episode),
        Sequence = QueryValues.Text(Sequence),
        Shot = QueryValues.Text(Shot),
        TaskType = QueryValues.Text(TaskType),
        Artist = QueryValues.Text(Artist),
        Status = QueryValues.Text(Status),
        Priority = QueryValues.Text(Priority),
        Milestone = QueryValues.Text(Milestone),
        Search = QueryValues.Text(Search),
    };
}

public static class PathLimits
{
    public const int ValueCount = 9;
    public const int BatchTasks = 1000;
    public const int PathLength = 4096;
}

/// <summary>
/// A generated path. <c>components</c> holds each value the path was made of, keyed by its
/// placeholder (camelCase here, snake_case in the v2.0 shape): <c>drive</c>, <c>project</c>,
/// <c>episode</c>, <c>sequenceClean</c>, ..., <c>version</c> as <c>v003</c>, <c>filename</c>.
/// </summary>
public sealed record PathGeneration(string GeneratedPath, IReadOnlyDictionary<string, string> Components, string TemplateUsed, string? PatternUsed) : ILegacyEnvelope
{
    public static PathGeneration From(RenderedPath path, string template, string? pattern) =>
        new(path.Path, PathComponents.Camel(path.Components), template, pattern) { Snake = PathComponents.Snake(path.Components) };

    [JsonIgnore]
    public IReadOnlyDictionary<string, string> Snake { get; private init; } = new Dictionary<string, string>();

    public object ToLegacy() => this with { Components = Snake };
}

/// <summary>One task's path in a batch, or why it has none.</summary>
public sealed record PathBatchItem
{
    public required string TaskId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GeneratedPath { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Components { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BulkItemError? Error { get; init; }
}

/// <summary><c>POST /paths/batch</c>: a result per task, in task id order.</summary>
public sealed record PathBatch(string TemplateUsed, string? PatternUsed, int Count, int Failed, IReadOnlyList<PathBatchItem> Results) : ILegacyEnvelope
{
    [JsonIgnore]
    public IReadOnlyList<PathBatchItem> SnakeResults { get; init; } = [];

    public object ToLegacy() => this with { Results = SnakeResults };
}

/// <summary><c>GET /paths/validate</c>: the template and pattern a path follows and its components, or how far it followed each.</summary>
public sealed record PathValidation(bool Valid, string? TemplateUsed, string? PatternUsed, IReadOnlyDictionary<string, string> Components, IReadOnlyList<PathMismatch> Errors) : ILegacyEnvelope
{
    public static PathValidation From(PathReading reading) =>
        new(reading.Valid, reading.TemplateUsed, reading.PatternUsed, PathComponents.Camel(reading.Components), reading.Errors) { Snake = PathComponents.Snake(reading.Components) };

    [JsonIgnore]
    public IReadOnlyDictionary<string, string> Snake { get; private init; } = new Dictionary<string, string>();

    public object ToLegacy() => this with { Components = Snake };
}

/// <summary>Components keyed for each wire shape; keys are placeholder names, which are snake_case.</summary>
public static class PathComponents
{
    public static Dictionary<string, string> Snake(IEnumerable<KeyValuePair<string, string>> components) => new(components);

    public static Dictionary<string, string> Camel(IEnumerable<KeyValuePair<string, string>> components) =>
        components.ToDictionary(c => CamelCase(c.Key), c => c.Value);

    private static string CamelCase(string snake)
    {
        var words = snake.Split('_');
        return words[0] + string.Concat(words.Skip(1).Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
    }
}
