using Montu.Server.Features.Paths;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Directories;

/// <summary>One directory to make: the template it comes from, its folders bound to the names, and its path as stored.</summary>
public sealed record PlannedDirectory(PathTemplate Folders, PathValues Values, string Path);

/// <summary>
/// The directories a request names, without touching the disk (docs/decisions/0033): the folder
/// part of each template (a file template without its file; any template cut before its first
/// segment holding <c>{version}</c>, <c>{frame}</c>, <c>{ext}</c> or <c>{filename}</c>, since
/// those folders exist only once there is a version), rendered for every combination of the
/// names that part uses. A template needing a name list that was not given is skipped, with why.
/// </summary>
public static class DirectoryPlan
{
    public static readonly IReadOnlyList<string> DefaultTemplates = [TaskPaths.WorkingFile, TaskPaths.RenderOutput, TaskPaths.MediaFile];

    private static readonly IReadOnlySet<string> VersionParts = new HashSet<string>(
        [PathPlaceholders.Version, PathPlaceholders.Frame, PathPlaceholders.Ext, PathPlaceholders.Filename], StringComparer.Ordinal);

    /// <summary>The request's list for each name placeholder; <c>{artist}</c> has none, so its folders are never made here.</summary>
    private static readonly (string Placeholder, string Field, Func<DirectoriesRequest, List<string?>?> List)[] NameLists =
    [
        ("episode", "episodes", r => r.Episodes),
        ("sequence", "sequences", r => r.Sequences),
        ("shot", "shots", r => r.Shots),
        ("asset", "assets", r => r.Assets),
        ("task", "taskTypes", r => r.TaskTypes),
    ];

    /// <summary>The directories, sorted and each once, or null with the problems.</summary>
    public static (IReadOnlyList<PlannedDirectory>? Directories, IReadOnlyList<SkippedTemplate> Skipped) Build(
        Project project, DirectoriesRequest request, ValidationProblems problems)
    {
        var names = ReadNames(project, request, problems);
        var skipped = new List<SkippedTemplate>();
        var templates = ReadTemplates(project, request.Templates, skipped, problems);
        if (problems.Any)
        {
            return (null, skipped);
        }

        var usable = new List<(PathTemplate Folders, List<string> Needs)>();
        foreach (var template in templates)
        {
            if (template.Folders(VersionParts) is not { } folders)
            {
                skipped.Add(new(template.Name, "It names no folder before its version"));
                continue;
            }

            var needs = folders.Placeholders.Select(p => PathPlaceholders.CleanForms.GetValueOrDefault(p) ?? p)
                .Where(PathPlaceholders.Names.Contains).Distinct().ToList();
            if (needs.Where(n => !names.TryGetValue(n, out var given) || given.Count == 0).ToList() is { Count: > 0 } missing)
            {
                skipped.Add(new(template.Name, $"It needs {string.Join(", ", missing.Select(ListOf))}: none given"));
                continue;
            }

            CheckCleanForms(folders, names, problems);
            usable.Add((folders, needs));
        }

        var combinations = usable.Sum(u => u.Needs.Aggregate(1L, (product, need) => product * names[need].Count));
        if (combinations > InputLimits.Directories)
        {
            var longest = NameLists.Where(l => names.ContainsKey(l.Placeholder)).MaxBy(l => names[l.Placeholder].Count).Field;
            problems.Add(longest, $"These names give {combinations} directories; one request makes at most {InputLimits.Directories}: send fewer names per request", ErrorCodes.OutOfRange);
        }

        if (problems.Any)
        {
            return (null, skipped);
        }

        var planned = new Dictionary<string, PlannedDirectory>(StringComparer.Ordinal);
        foreach (var (folders, needs) in usable)
        {
            foreach (var values in Combinations(needs, names))
            {
                if (PathRenderer.Render(project, folders, null, values, null, "values", problems) is { } rendered)
                {
                    CheckInside(folders.Name, rendered.Path, problems);
                    planned.TryAdd(rendered.Path, new PlannedDirectory(folders, values, rendered.Path));
                }
            }
        }

        return problems.Any ? (null, skipped) : (planned.Values.OrderBy(d => d.Path, StringComparer.Ordinal).ToList(), skipped);
    }

    /// <summary>
    /// A path with a <c>.</c> or <c>..</c> folder could climb out of its drive, whatever the root:
    /// values cannot hold one (<see cref="PathValues"/>), but a project's drives may.
    /// </summary>
    public static void CheckInside(string template, string path, ValidationProblems problems)
    {
        if (path.Split('/', '\\').Any(folder => folder is "." or ".."))
        {
            problems.Add("templates", $"Template {Quote.Of(template)} gives {Quote.Of(path)}, which has a '.' or '..' folder: directories are made only inside their drive", ErrorCodes.InvalidValue);
        }
    }

    private static Dictionary<string, List<string>> ReadNames(Project project, DirectoriesRequest request, ValidationProblems problems)
    {
        var names = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (placeholder, field, list) in NameLists)
        {
            if (list(request) is not { } given)
            {
                continue;
            }

            if (given.Count > InputLimits.DirectoryNames)
            {
                problems.Add(field, $"The list has at most {InputLimits.DirectoryNames} names", ErrorCodes.OutOfRange);
                continue;
            }

            foreach (var (name, index) in given.Select((n, i) => (n, i)))
            {
                if (string.IsNullOrEmpty(name))
                {
                    problems.Add($"{field}[{index}]", "Names must not be empty", ErrorCodes.RequiredField);
                }
                else if (!PathValues.IsFolderName(name))
                {
                    problems.Add($"{field}[{index}]", $"A name must be one folder name of at most {InputLimits.NameLength} characters: no '/', '\\', ':' or control characters, and not '.' or '..'", ErrorCodes.InvalidFormat);
                }
                else if (placeholder == "task" && !project.TaskTypes.Contains(name))
                {
                    problems.Add($"{field}[{index}]", $"{Quote.Of(name)} is not one of the project's taskTypes ({string.Join(", ", project.TaskTypes)})", ErrorCodes.InvalidValue);
                }
            }

            names[placeholder] = given.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        }

        return names;
    }

    /// <summary>Names asked for must be templates of the project; the default ones it lacks are reported as skipped.</summary>
    private static List<PathTemplate> ReadTemplates(Project project, List<string?>? asked, List<SkippedTemplate> skipped, ValidationProblems problems)
    {
        if (asked?.Count > InputLimits.TemplatesCount)
        {
            problems.Add("templates", $"The list has at most {InputLimits.TemplatesCount} names", ErrorCodes.OutOfRange);
            return [];
        }

        var templates = new List<PathTemplate>();
        foreach (var (name, index) in (asked ?? (IEnumerable<string?>)DefaultTemplates).Select((n, i) => (n, i)).DistinctBy(t => t.n))
        {
            if (name is not null && project.Templates.TryGetValue(name, out var text) && PathTemplate.Parse(name, text, out _) is { } template)
            {
                templates.Add(template);
            }
            else if (asked is null)
            {
                skipped.Add(new(name!, "The project has no such template"));
            }
            else
            {
                problems.Add($"templates[{index}]", $"The project has no template {Quote.Of(name)}: {string.Join(", ", project.Templates.Keys)}", ErrorCodes.InvalidValue);
            }
        }

        return templates;
    }

    /// <summary>A name with nothing left once cleaned would leave an empty folder in the path.</summary>
    private static void CheckCleanForms(PathTemplate folders, Dictionary<string, List<string>> names, ValidationProblems problems)
    {
        foreach (var source in folders.Placeholders.Where(PathPlaceholders.CleanForms.ContainsKey).Select(p => PathPlaceholders.CleanForms[p]).Distinct())
        {
            foreach (var name in names[source].Where(n => TaskRules.Clean(n) is not { Length: > 0 }))
            {
                problems.Add(ListOf(source), $"{Quote.Of(name)} has no letter, digit, '.', '_' or '-', so {{{source}_clean}} of template {Quote.Of(folders.Name)} would be empty", ErrorCodes.InvalidFormat);
            }
        }
    }

    private static IEnumerable<PathValues> Combinations(List<string> needs, Dictionary<string, List<string>> names)
    {
        IEnumerable<List<KeyValuePair<string, string?>>> combinations = [[]];
        foreach (var need in needs)
        {
            combinations = combinations.SelectMany(c => names[need].Select(name => new List<KeyValuePair<string, string?>>(c) { new(need, name) }));
        }

        return combinations.Select(c => PathValues.Read(c, "values", new ValidationProblems()));
    }

    private static string ListOf(string placeholder) =>
        NameLists.FirstOrDefault(l => l.Placeholder == placeholder).Field ?? placeholder;
}
