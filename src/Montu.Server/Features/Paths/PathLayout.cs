using Montu.Server.Features.Projects;

namespace Montu.Server.Features.Paths;

/// <summary>A part of a template bound to its project: literal text, a drive, or a value to fill in.</summary>
public abstract record LayoutPart
{
    public sealed record Literal(string Text) : LayoutPart;

    /// <summary>A drive placeholder: rendered as <see cref="Roots"/>[0]; a path may show any of the roots.</summary>
    public sealed record Drive(IReadOnlyList<string> Roots) : LayoutPart;

    /// <summary>Any other placeholder, filled from the values (or, for <c>project</c>, the project id).</summary>
    public sealed record Value(string Placeholder) : LayoutPart;
}

/// <summary>The operating system a path is written for; its drive roots come from the project's rootMappings.</summary>
public enum PathOs
{
    Windows,
    Linux,
    Macos,
}

/// <summary>
/// Binds a template to a project: folder names (<c>{middle_path}</c>, ...) become literal text and
/// drives become their roots. A folder name left empty in the project takes its separator with it,
/// so <c>{drive_working}/{middle_path}/{episode}</c> gives <c>V:/ep01</c>, not <c>V://ep01</c>.
/// </summary>
public static class PathLayout
{
    /// <summary>The parts for rendering: each drive as written in the project, or translated for <paramref name="os"/>.</summary>
    public static IReadOnlyList<LayoutPart> ForRendering(Project project, PathTemplate template, PathOs? os) =>
        Bind(project, template, drive => [Translate(project, drive, os)]);

    /// <summary>The parts for reading a path back: each drive as written or as any system mounts it.</summary>
    public static IReadOnlyList<LayoutPart> ForMatching(Project project, PathTemplate template) =>
        Bind(project, template, drive => AllRoots(project, drive));

    public static string Translate(Project project, string drive, PathOs? os)
    {
        if (os is null || !project.RootMappings.TryGetValue(drive, out var mapping))
        {
            return drive;
        }

        return os switch
        {
            PathOs.Windows => mapping.Windows,
            PathOs.Linux => mapping.Linux,
            _ => mapping.Macos,
        } ?? drive;
    }

    private static List<string> AllRoots(Project project, string drive) =>
        project.RootMappings.TryGetValue(drive, out var mapping)
            ? new[] { drive, mapping.Windows, mapping.Linux, mapping.Macos }.OfType<string>().Select(r => r.Replace('\\', '/')).Distinct(StringComparer.OrdinalIgnoreCase).ToList()
            : [drive];

    private static List<LayoutPart> Bind(Project project, PathTemplate template, Func<string, IReadOnlyList<string>> roots)
    {
        var parts = new List<LayoutPart>();
        var dropSlash = false;
        foreach (var part in template.Parts)
        {
            if (!part.IsPlaceholder)
            {
                AddLiteral(dropSlash && part.Text.StartsWith('/') && EndsWithSlash(parts) ? part.Text[1..] : part.Text);
            }
            else if (PathPlaceholders.Drives.TryGetValue(part.Text, out var drive))
            {
                parts.Add(new LayoutPart.Drive(roots(drive(project.DriveMapping) ?? "")));
            }
            else if (PathPlaceholders.Segments.TryGetValue(part.Text, out var segment))
            {
                var folder = segment(project.PathSegments) ?? "";
                AddLiteral(folder);
                dropSlash = folder.Length == 0;
                continue;
            }
            else
            {
                parts.Add(new LayoutPart.Value(part.Text));
            }

            dropSlash = false;
        }

        return parts;

        void AddLiteral(string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            if (parts.Count > 0 && parts[^1] is LayoutPart.Literal previous)
            {
                parts[^1] = new LayoutPart.Literal(previous.Text + text);
            }
            else
            {
                parts.Add(new LayoutPart.Literal(text));
            }
        }
    }

    private static bool EndsWithSlash(List<LayoutPart> parts) =>
        parts.Count > 0 && parts[^1] is LayoutPart.Literal { Text: var text } && text.EndsWith('/');
}
