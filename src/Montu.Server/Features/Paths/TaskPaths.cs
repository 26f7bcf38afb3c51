using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Paths;

/// <summary>A task's path fields as its project's templates give them; null where a template is missing or lacks a value.</summary>
public sealed record TaskPathFields(string? WorkingFilePath, string? RenderOutputPath, string? MediaFilePath, string? CacheFilePath, string? Filename);

/// <summary>
/// Which template fills which task field, and with which file-name pattern (docs/api.md §Paths):
/// <c>working_file</c>, <c>render_output</c>, <c>media_file</c> and <c>cache_file</c>, each
/// preferred as <c>asset_…</c> for asset tasks; the pattern whose text ends in the task's
/// <c>fileExtension</c>, or else the first by name that is one file (no <c>{frame}</c> or <c>{ext}</c>).
/// A task without a current version gets the paths of its first, <c>v001</c>.
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

    /// <summary>The template for <paramref name="name"/>: <c>asset_{name}</c> first for asset tasks.</summary>
    public static PathTemplate? Template(Project project, TaskItem task, string name)
    {
        var key = task.Type == TaskRules.Asset && project.Templates.ContainsKey($"asset_{name}") ? $"asset_{name}" : name;
        return project.Templates.TryGetValue(key, out var text) ? PathTemplate.Parse(key, text, out _) : null;
    }

    public static PathTemplate? Pattern(Project project, string? fileExtension)
    {
        var patterns = project.FilenamePatterns.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => PathTemplate.Parse(p.Key, p.Value, out _)).OfType<PathTemplate>().ToList();
        var extension = fileExtension is { Length: > 0 } ? "." + fileExtension.TrimStart('.') : null;
        return patterns.Find(p => extension is not null && p.Parts is [.., { IsPlaceholder: false, Text: var end }] && end.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            ?? patterns.Find(p => !p.Uses(PathPlaceholders.Frame) && !p.Uses(PathPlaceholders.Ext));
    }

    private static string? Path(Project project, PathTemplate template, PathTemplate? pattern, PathValues values) =>
        PathRenderer.Render(project, template, template.Uses(PathPlaceholders.Filename) ? pattern : null, values, null, "task", new ValidationProblems())?.Path;
}
