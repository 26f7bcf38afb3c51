using System.Runtime.CompilerServices;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Paths;

/// <summary>A task's path fields as its project's templates give them; null where a template is missing or lacks a value.</summary>
public sealed record TaskPathFields(string? WorkingFilePath, string? RenderOutputPath, string? MediaFilePath, string? CacheFilePath, string? Filename);

/// <summary>The path fields a client set to a value of its own (stored in <c>tasks.pinned_paths</c>); the others follow the templates.</summary>
[Flags]
public enum PinnedPaths
{
    None = 0,
    WorkingFilePath = 1,
    RenderOutputPath = 2,
    MediaFilePath = 4,
    CacheFilePath = 8,
    Filename = 16,
}

/// <summary>
/// Which template fills which task field, and with which file-name pattern (docs/api.md §Paths):
/// <c>working_file</c>, <c>render_output</c>, <c>media_file</c> and <c>cache_file</c>, each
/// preferred as <c>asset_…</c> for asset tasks; the pattern whose text ends in the task's
/// <c>fileExtension</c>, or else the first by name that is one file (no <c>{frame}</c> or <c>{ext}</c>).
/// A task without a current version gets the paths of its first, <c>v001</c>.
/// <para>
/// The task's own path fields follow this rule unless pinned (<see cref="Follow"/>): a client that
/// writes a value other than the templates' pins the field; writing null, or the templates' own
/// value, gives it back to the templates.
/// </para>
/// </summary>
public static class TaskPaths
{
    public const string WorkingFile = "working_file";
    public const string RenderOutput = "render_output";
    public const string MediaFile = "media_file";
    public const string CacheFile = "cache_file";

    public static TaskPathFields Render(Project project, TaskItem task, string? version = null)
    {
        var problems = new ValidationProblems();
        var values = PathValues.Read(PathValues.OfTask(task), "task", problems)
            .With(PathValues.Read([new(PathPlaceholders.Version, version ?? task.CurrentVersion ?? "v001")], "task", problems));
        var pattern = Pattern(project, task.FileExtension);
        var filename = pattern is null ? null : Path(project, pattern, null, values);
        return new TaskPathFields(
            Template(project, task, WorkingFile) is { } working ? Path(project, working, pattern, values) : null,
            Template(project, task, RenderOutput) is { } render ? Path(project, render, pattern, values) : null,
            Template(project, task, MediaFile) is { } media ? Path(project, media, pattern, values) : null,
            Template(project, task, CacheFile) is { } cache ? Path(project, cache, pattern, values) : null,
            filename);
    }

    private static readonly PathField[] Fields =
    [
        new("workingFilePath", PinnedPaths.WorkingFilePath, t => t.WorkingFilePath, p => p.WorkingFilePath, (t, v) => t with { WorkingFilePath = v }),
        new("renderOutputPath", PinnedPaths.RenderOutputPath, t => t.RenderOutputPath, p => p.RenderOutputPath, (t, v) => t with { RenderOutputPath = v }),
        new("mediaFilePath", PinnedPaths.MediaFilePath, t => t.MediaFilePath, p => p.MediaFilePath, (t, v) => t with { MediaFilePath = v }),
        new("cacheFilePath", PinnedPaths.CacheFilePath, t => t.CacheFilePath, p => p.CacheFilePath, (t, v) => t with { CacheFilePath = v }),
        new("filename", PinnedPaths.Filename, t => t.Filename, p => p.Filename, (t, v) => t with { Filename = v }),
    ];

    /// <summary>
    /// <paramref name="task"/> (with <paramref name="input"/> applied) with each path field that is
    /// not pinned as the templates give it, and the pins after <paramref name="input"/>.
    /// </summary>
    public static (TaskItem Task, PinnedPaths Pins) Follow(Project project, TaskItem task, PinnedPaths pins, TaskInput? input = null)
    {
        var rendered = Render(project, task);
        foreach (var field in Fields)
        {
            if (input is not null && input.Fields.Any(f => f.Key == field.Name))
            {
                var sent = field.Stored(task);
                pins = sent is null || sent == field.Rendered(rendered) ? pins & ~field.Pin : pins | field.Pin;
            }

            if (!pins.HasFlag(field.Pin))
            {
                task = field.Set(task, field.Rendered(rendered));
            }
        }

        return (task, pins);
    }

    /// <summary>The template for <paramref name="name"/>: <c>asset_{name}</c> first for asset tasks.</summary>
    public static PathTemplate? Template(Project project, TaskItem task, string name)
    {
        var templates = Parsed(project).Templates;
        var key = task.Type == TaskRules.Asset && templates.ContainsKey($"asset_{name}") ? $"asset_{name}" : name;
        return templates.GetValueOrDefault(key);
    }

    public static PathTemplate? Pattern(Project project, string? fileExtension)
    {
        var patterns = Parsed(project).Patterns;
        var extension = fileExtension is { Length: > 0 } ? "." + fileExtension.TrimStart('.') : null;
        return patterns.Find(p => extension is not null && p.Parts is [.., { IsPlaceholder: false, Text: var end }] && end.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            ?? patterns.Find(p => !p.Uses(PathPlaceholders.Frame) && !p.Uses(PathPlaceholders.Ext));
    }

    private static string? Path(Project project, PathTemplate template, PathTemplate? pattern, PathValues values) =>
        PathRenderer.Render(project, template, template.Uses(PathPlaceholders.Filename) ? pattern : null, values, null, "task", new ValidationProblems())?.Path;

    /// <summary>
    /// The project's templates and patterns, parsed once per <see cref="Project"/> instance (it is
    /// immutable): an import lays out every row with the same one.
    /// </summary>
    private static ParsedTemplates Parsed(Project project) => ParsedByProject.GetValue(project, p => new ParsedTemplates(
        p.Templates.Select(t => PathTemplate.Parse(t.Key, t.Value, out _)).OfType<PathTemplate>().ToDictionary(t => t.Name, StringComparer.Ordinal),
        [.. p.FilenamePatterns.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => PathTemplate.Parse(t.Key, t.Value, out _)).OfType<PathTemplate>()]));

    private static readonly ConditionalWeakTable<Project, ParsedTemplates> ParsedByProject = [];

    private sealed record ParsedTemplates(IReadOnlyDictionary<string, PathTemplate> Templates, List<PathTemplate> Patterns);

    private sealed record PathField(string Name, PinnedPaths Pin, Func<TaskItem, string?> Stored, Func<TaskPathFields, string?> Rendered, Func<TaskItem, string?, TaskItem> Set);
}
