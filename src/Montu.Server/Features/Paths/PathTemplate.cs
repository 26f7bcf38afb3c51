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

    /// <summary>
    /// The folders the template names: all of a folder template, a file template without its
    /// last segment, either cut before the first segment using one of <paramref name="stopAt"/>.
    /// Null when no folder is left.
    /// </summary>
    public PathTemplate? Folders(IReadOnlySet<string> stopAt)
    {
        var segments = new List<List<TemplatePart>> { new() };
        foreach (var part in Parts)
        {
            if (part.IsPlaceholder)
            {
                segments[^1].Add(part);
                continue;
            }

            var pieces = part.Text.Split('/');
            for (var i = 0; i < pieces.Length; i++)
            {
                if (i > 0)
                {
                    segments.Add([]);
                }

                if (pieces[i].Length > 0)
                {
                    segments[^1].Add(new TemplatePart(pieces[i], false));
                }
            }
        }

        // A folder template ends in '/', leaving an empty last segment; a file template's last segment is its file.
        segments.RemoveAt(segments.Count - 1);
        var cut = segments.FindIndex(s => s.Exists(p => p.IsPlaceholder && stopAt.Contains(p.Text)));
        if (cut >= 0)
        {
            segments.RemoveRange(cut, segments.Count - cut);
        }

        if (segments.TrueForAll(s => s.Count == 0))
        {
            return null;
        }

        var parts = new List<TemplatePart>();
        foreach (var (segment, index) in segments.Select((s, i) => (s, i)))
        {
            foreach (var part in index > 0 ? segment.Prepend(new TemplatePart("/", false)) : segment)
            {
                if (!part.IsPlaceholder && parts.Count > 0 && parts[^1] is { IsPlaceholder: false } previous)
                {
                    parts[^1] = new TemplatePart(previous.Text + part.Text, false);
                }
                else
                {
                    parts.Add(part);
                }
            }
        }

        return new PathTemplate(Name, parts);
    }

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
