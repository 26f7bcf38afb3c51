namespace Montu.Server.Features.Paths;

/// <summary>One piece of a template: literal text, or the name of a placeholder between braces.</summary>
public readonly record struct TemplatePart(string Text, bool IsPlaceholder);

/// <summary>
/// A path template or file-name pattern split into literal text and placeholders. The one
/// parser of the path grammar: <see cref="PathRenderer"/> renders it and <see cref="PathMatcher"/>
/// reads paths back with it, so a rendered path always parses back to the same components.
/// </summary>
public sealed class PathTemplate
{
    private PathTemplate(string name, IReadOnlyList<TemplatePart> parts)
    {
        Name = name;
        Parts = parts;
    }

    /// <summary>The template's key in the project (<c>working_file</c>, <c>maya_scene</c>, ...).</summary>
    public string Name { get; }

    public IReadOnlyList<TemplatePart> Parts { get; }

    public IEnumerable<string> Placeholders => Parts.Where(p => p.IsPlaceholder).Select(p => p.Text);

    public bool Uses(string placeholder) => Parts.Any(p => p.IsPlaceholder && p.Text == placeholder);

    /// <summary>Whether the template names a folder (it ends in <c>/</c>) rather than a file.</summary>
    public bool IsFolder => Parts.Count > 0 && !Parts[^1].IsPlaceholder && Parts[^1].Text.EndsWith('/');

    /// <summary>The template, or null with what is wrong: an unbalanced brace or an empty placeholder.</summary>
    public static PathTemplate? Parse(string name, string text, out string? error)
    {
        var parts = new List<TemplatePart>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOfAny(['{', '}'], position);
            if (open < 0)
            {
                parts.Add(new TemplatePart(text[position..], false));
                break;
            }

            if (text[open] == '}')
            {
                error = $"unexpected '}}' at position {open}";
                return null;
            }

            var close = text.IndexOfAny(['{', '}'], open + 1);
            if (close < 0 || text[close] == '{')
            {
                error = $"'{{' at position {open} is not closed";
                return null;
            }

            if (close == open + 1)
            {
                error = $"empty placeholder '{{}}' at position {open}";
                return null;
            }

            if (open > position)
            {
                parts.Add(new TemplatePart(text[position..open], false));
            }

            parts.Add(new TemplatePart(text[(open + 1)..close], true));
            position = close + 1;
        }

        error = null;
        return new PathTemplate(name, parts);
    }
}
