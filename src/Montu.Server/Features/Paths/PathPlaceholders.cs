using Montu.Server.Features.Projects;

namespace Montu.Server.Features.Paths;

/// <summary>The placeholders of the path grammar (docs/api.md §Paths) and where each takes its value.</summary>
public static class PathPlaceholders
{
    /// <summary>Placeholders whose value is one of the project's drives; reported as the <c>drive</c> component.</summary>
    public static readonly IReadOnlyDictionary<string, Func<DriveMapping, string?>> Drives = new Dictionary<string, Func<DriveMapping, string?>>
    {
        ["drive_working"] = d => d.WorkingFiles,
        ["drive_render"] = d => d.RenderOutputs,
        ["drive_media"] = d => d.MediaFiles,
        ["drive_cache"] = d => d.CacheFiles,
        ["drive_backup"] = d => d.BackupFiles,
    };

    /// <summary>Placeholders whose value is one of the project's folder names; not reported as components.</summary>
    public static readonly IReadOnlyDictionary<string, Func<PathSegments, string?>> Segments = new Dictionary<string, Func<PathSegments, string?>>
    {
        ["middle_path"] = s => s.MiddlePath,
        ["version_dir"] = s => s.VersionDir,
        ["work_dir"] = s => s.WorkDir,
        ["publish_dir"] = s => s.PublishDir,
        ["cache_dir"] = s => s.CacheDir,
    };

    /// <summary>Names given by the caller or the task, used as given.</summary>
    public static readonly IReadOnlyList<string> Names = ["episode", "sequence", "shot", "asset", "task", "artist"];

    /// <summary>The folder-safe forms and the name each is made from.</summary>
    public static readonly IReadOnlyDictionary<string, string> CleanForms = new Dictionary<string, string>
    {
        ["episode_clean"] = "episode",
        ["sequence_clean"] = "sequence",
        ["shot_clean"] = "shot",
    };

    public const string Project = "project";
    public const string Version = "version";
    public const string Frame = "frame";
    public const string Ext = "ext";
    public const string Filename = "filename";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(
        Drives.Keys.Concat(Segments.Keys).Concat(Names).Concat(CleanForms.Keys).Append(Project).Append(Version).Append(Frame).Append(Ext).Append(Filename),
        StringComparer.Ordinal);

    /// <summary>The values a caller may give for a path: the names, <c>version</c>, <c>frame</c> and <c>ext</c>.</summary>
    public static readonly IReadOnlySet<string> Givable = new HashSet<string>(Names.Append(Version).Append(Frame).Append(Ext), StringComparer.Ordinal);
}
