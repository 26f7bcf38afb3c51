using Montu.Server.Features.Paths;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Directories;

/// <summary>
/// Makes planned directories under the server's projects root (<c>MONTU_PROJECTS_ROOT</c>, or
/// <c>Paths:ProjectsRoot</c>), each drive at the folder its linux root names below it: drive
/// <c>V:</c> mounted at <c>/mnt/vfx/working</c> is <c>$MONTU_PROJECTS_ROOT/mnt/vfx/working</c>.
/// Every directory is placed and checked before any is made, so a refused request makes none;
/// a symbolic link below the root is never followed (docs/decisions/0033).
/// </summary>
public sealed class DirectoryMaker(IConfiguration configuration, ILogger<DirectoryMaker> logger)
{
    public const string Setting = "MONTU_PROJECTS_ROOT";
    public const string ConfigKey = "Paths:ProjectsRoot";

    private readonly string? _root = (configuration[Setting] is { Length: > 0 } set ? set : configuration[ConfigKey]) is { Length: > 0 } root
        ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))
        : null;

    public (DirectoriesResult? Result, ApiError? Error) Make(Project project, IReadOnlyList<PlannedDirectory> directories, IReadOnlyList<SkippedTemplate> skipped)
    {
        if (_root is null)
        {
            return (null, ApiError.BusinessRule($"This server has no projects root to create directories in: set {Setting} (or {ConfigKey}); a dry run works without it"));
        }

        if (!Directory.Exists(_root))
        {
            logger.LogWarning("The projects root {Root} does not exist; no directories were created", _root);
            return (null, ApiError.BusinessRule("The server's projects root does not exist; ask the server's administrator to mount or create it"));
        }

        var problems = new ValidationProblems();
        var targets = new List<(string Path, string Full)>();
        foreach (var directory in directories)
        {
            if (UnmappedDrive(project, directory.Folders) is { } drive)
            {
                return (null, ApiError.BusinessRule(
                    $"Drive {Quote.Of(drive)} has no linux root: add one to the project's rootMappings to create its directories",
                    new FieldError($"rootMappings.{drive}.linux", "A linux root is needed to place this drive under the projects root", ErrorCodes.RequiredField)));
            }

            var linux = PathRenderer.Render(project, directory.Folders, null, directory.Values, PathOs.Linux, "values", problems)!.Path;
            DirectoryPlan.CheckInside(directory.Folders.Name, linux, problems);
            if (problems.Any)
            {
                return (null, problems.ToError());
            }

            var full = Path.GetFullPath(Path.Combine(_root, linux.TrimStart('/')));
            if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                problems.Add("templates", $"Template {Quote.Of(directory.Folders.Name)} gives {Quote.Of(directory.Path)}, which is not below the projects root");
                return (null, problems.ToError());
            }

            targets.Add((directory.Path, full));
        }

        foreach (var (path, full) in targets)
        {
            if (Walk(full, create: false) is { } refused)
            {
                return (null, ApiError.BusinessRule($"Cannot create {Quote.Of(path)}: {refused}; no directory was created"));
            }
        }

        var created = new List<string>();
        var existing = new List<string>();
        foreach (var (path, full) in targets)
        {
            var existed = Directory.Exists(full);
            try
            {
                // Checked above; a link or file put there since is refused all the same.
                if (Walk(full, create: true) is { } refused)
                {
                    return (null, ApiError.BusinessRule($"Cannot create {Quote.Of(path)}: {refused}; {created.Count} directories were created before it"));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogError(e, "Could not create {Directory} for project {Project}", full, project.Id);
                return (null, ApiError.BusinessRule(
                    $"The server could not create {Quote.Of(path)} ({(e is UnauthorizedAccessException ? "permission denied" : "input/output error")}); {created.Count} directories were created before it"));
            }

            (existed ? existing : created).Add(path);
        }

        logger.LogInformation("Created {Created} directories for project {Project}; {Existing} were there already", created.Count, project.Id, existing.Count);
        return (new DirectoriesResult(false, directories.Select(d => d.Path).ToList(), directories.Count, created, existing, skipped), null);
    }

    /// <summary>A drive the folders use whose linux form is not an absolute path (a Windows drive without a linux root).</summary>
    private static string? UnmappedDrive(Project project, PathTemplate folders) =>
        folders.Placeholders.Where(PathPlaceholders.Drives.ContainsKey).Select(p => PathPlaceholders.Drives[p](project.DriveMapping) ?? "")
            .FirstOrDefault(drive => !PathLayout.Translate(project, drive, PathOs.Linux).StartsWith('/'));

    /// <summary>
    /// Goes down from the root to <paramref name="full"/>, one folder at a time; with
    /// <paramref name="create"/>, makes each missing one. Null, or why it stopped: a folder on the
    /// way is a symbolic link (followed, it could lead anywhere) or a file.
    /// </summary>
    private string? Walk(string full, bool create)
    {
        var current = _root!;
        foreach (var folder in Path.GetRelativePath(_root!, full).Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, folder);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null)
            {
                return $"{Quote.Of(folder)} on its way is a symbolic link, which is never followed";
            }

            if (info.Exists)
            {
                continue;
            }

            if (File.Exists(current))
            {
                return $"{Quote.Of(folder)} on its way is a file";
            }

            if (!create)
            {
                return null;
            }

            Directory.CreateDirectory(current);
        }

        return null;
    }
}
