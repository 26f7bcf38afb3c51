namespace Montu.Server.Features.Projects;

/// <summary>The placeholders a path template or file-name pattern may use (docs/api.md §Paths).</summary>
public static class TemplatePlaceholders
{
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "drive_working", "drive_render", "drive_media", "drive_cache", "drive_backup",
        "project", "middle_path", "version_dir", "work_dir", "publish_dir", "cache_dir",
        "episode", "sequence", "shot", "asset", "task", "artist",
        "episode_clean", "sequence_clean", "shot_clean",
        "version", "frame", "ext", "filename",
    };

    /// <summary>The placeholder names in <paramref name="template"/>, or an error for unbalanced braces.</summary>
    public static (IReadOnlyList<string> Names, string? Error) Parse(string template)
    {
        var names = new List<string>();
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOfAny(['{', '}'], position);
            if (open < 0)
            {
                break;
            }

            if (template[open] == '}')
            {
                return (names, $"unexpected '}}' at position {open}");
            }

            var close = template.IndexOfAny(['{', '}'], open + 1);
            if (close < 0 || template[close] == '{')
            {
                return (names, $"'{{' at position {open} is not closed");
            }

            names.Add(template[(open + 1)..close]);
            position = close + 1;
        }

        return (names, null);
    }
}
