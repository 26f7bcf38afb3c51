using System.Text;
using Montu.Server.Features.Projects;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Paths;

/// <summary>A rendered path and the values it was made of, in the order the template uses them.</summary>
public sealed record RenderedPath(string Path, IReadOnlyList<KeyValuePair<string, string>> Components);

/// <summary>
/// Renders a project's template, with a file-name pattern for its <c>{filename}</c>, from path
/// values. Components are keyed by placeholder, except that drives are one <c>drive</c> and the
/// project's folder names are left out (they are the project's, not the path's).
/// </summary>
public static class PathRenderer
{
    /// <summary>The path, or null with a problem for each missing or unusable value.</summary>
    public static RenderedPath? Render(Project project, PathTemplate template, PathTemplate? pattern, PathValues values, PathOs? os, string valuesField, ValidationProblems problems)
    {
        var path = new StringBuilder();
        var components = new List<KeyValuePair<string, string>>();
        var before = problems.Errors.Count;
        if (template.Uses(PathPlaceholders.Filename) && pattern is null)
        {
            problems.Add("filenamePattern", $"Template {Quote.Of(template.Name)} has {{filename}}: name one of the filenamePatterns ({string.Join(", ", project.FilenamePatterns.Keys)})", ErrorCodes.RequiredField);
            return null;
        }

        foreach (var part in PathLayout.ForRendering(project, template, os))
        {
            if (part is LayoutPart.Value { Placeholder: PathPlaceholders.Filename })
            {
                if (Render(project, pattern!, null, values, os, valuesField, problems) is { } filename)
                {
                    path.Append(filename.Path);
                    foreach (var component in filename.Components)
                    {
                        Add(component.Key, component.Value);
                    }

                    Add(PathPlaceholders.Filename, filename.Path);
                }
            }
            else
            {
                path.Append(Fill(part, template, project, values, valuesField, problems, Add));
            }
        }

        return problems.Errors.Count > before ? null : new RenderedPath(path.ToString(), components);

        void Add(string key, string value)
        {
            if (!components.Exists(c => c.Key == key))
            {
                components.Add(new(key, value));
            }
        }
    }

    private static string Fill(LayoutPart part, PathTemplate template, Project project, PathValues values, string valuesField, ValidationProblems problems, Action<string, string> component)
    {
        switch (part)
        {
            case LayoutPart.Literal literal:
                return literal.Text;
            case LayoutPart.Drive drive:
                component("drive", drive.Roots[0]);
                return drive.Roots[0];
            case LayoutPart.Value { Placeholder: PathPlaceholders.Project }:
                component(PathPlaceholders.Project, project.Id);
                return project.Id;
        }

        var placeholder = ((LayoutPart.Value)part).Placeholder;
        var value = values.Get(placeholder);
        if (placeholder == PathPlaceholders.Frame)
        {
            value ??= PathValues.FrameSequence;
        }

        var source = PathPlaceholders.CleanForms.GetValueOrDefault(placeholder) ?? placeholder;
        if (value is null)
        {
            problems.Add($"{valuesField}.{source}", $"{Quote.Of(template.Name)} needs {{{placeholder}}}: give {source}", ErrorCodes.RequiredField);
            return "";
        }

        if (value.Length == 0)
        {
            problems.Add($"{valuesField}.{source}", $"{{{placeholder}}} would be empty: {source} has no letter, digit, '.', '_' or '-'", ErrorCodes.InvalidFormat);
            return "";
        }

        component(placeholder, placeholder == PathPlaceholders.Version ? PathValues.VersionLabel(value) : value);
        return value;
    }
}
