using System.Text;
using System.Text.RegularExpressions;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Paths;

/// <summary>How far a path followed a template (and pattern) before it went another way.</summary>
public sealed record PathMismatch(string Template, string? Pattern, string Matched, string Expected, string Found, string Error);

/// <summary>What a path is: the template and pattern it follows and its components, or why it follows none.</summary>
public sealed record PathReading(bool Valid, string? TemplateUsed, string? PatternUsed, IReadOnlyList<KeyValuePair<string, string>> Components, IReadOnlyList<PathMismatch> Errors);

/// <summary>
/// Reads a path back against a project's templates, the inverse of <see cref="PathRenderer"/>:
/// each template, bound to the project by <see cref="PathLayout"/>, becomes a regular expression
/// whose groups are its placeholders (a placeholder used twice must repeat its value), and the
/// components come out in the order the renderer puts them, so a rendered path reads back to
/// the components it was rendered from. Backslashes and every root of the project's
/// rootMappings are accepted.
/// </summary>
public static class PathMatcher
{
    private const int MaxErrors = 10;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    public static PathReading Read(Project project, string path)
    {
        path = path.Replace('\\', '/');
        var templates = Parsed(project.Templates);
        var patterns = Parsed(project.FilenamePatterns);
        var errors = new List<PathMismatch>();
        PathReading? best = null;
        var bestWeight = -1;
        foreach (var template in templates)
        {
            var layout = PathLayout.ForMatching(project, template);
            var candidates = template.Uses(PathPlaceholders.Filename) ? patterns.Select(p => (Pattern: (PathTemplate?)p, File: false))
                : template.IsFolder ? patterns.Select(p => (Pattern: (PathTemplate?)p, File: true)).Prepend((null, false))
                : [(null, false)];
            foreach (var (pattern, file) in candidates)
            {
                var patternLayout = pattern is null ? null : PathLayout.ForMatching(project, pattern);
                var pieces = Pieces(project, layout, patternLayout, file);
                if (Match(Expression(pieces, end: true), path) is not { } match)
                {
                    continue;
                }

                var components = Components(layout, patternLayout, file, match);
                if (Disagreement(components) is { } disagreement)
                {
                    errors.Add(new PathMismatch(template.Name, pattern?.Name, path, "", "", disagreement));
                    continue;
                }

                var weight = pieces.Where(p => p.Literal).Sum(p => p.Display.Length) + (pattern is null ? 0 : 1000);
                if (weight > bestWeight)
                {
                    (best, bestWeight) = (new PathReading(true, template.Name, pattern?.Name, components, []), weight);
                }
            }

            if (best is null)
            {
                errors.AddRange(HowFar(project, template, layout, patterns, path));
            }
        }

        if (best is not null)
        {
            return best;
        }

        if (templates.Count == 0)
        {
            errors.Add(new PathMismatch("", null, "", "", path, "The project has no templates to read paths with"));
        }

        return new PathReading(false, null, null, [], errors.OrderByDescending(e => e.Matched.Length).Take(MaxErrors).ToList());
    }

    /// <summary>A piece of the expression: its regular expression and how the template shows it.</summary>
    private sealed record Piece(string Expression, string Display, bool Literal);

    private static List<PathTemplate> Parsed(IReadOnlyDictionary<string, string> templates) =>
        templates.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => PathTemplate.Parse(t.Key, t.Value, out _)).OfType<PathTemplate>().ToList();

    private static List<Piece> Pieces(Project project, IReadOnlyList<LayoutPart> layout, IReadOnlyList<LayoutPart>? pattern, bool fileInFolder)
    {
        var pieces = new List<Piece>();
        var defined = new HashSet<string>(StringComparer.Ordinal);
        Add(layout, pattern);
        if (fileInFolder)
        {
            pieces.Add(new Piece($"(?<filename>{string.Concat(Pieces(project, pattern!, defined).Select(p => p.Expression))})", "{filename}", false));
        }

        return pieces;

        void Add(IReadOnlyList<LayoutPart> parts, IReadOnlyList<LayoutPart>? inner)
        {
            foreach (var part in parts)
            {
                if (part is LayoutPart.Value { Placeholder: PathPlaceholders.Filename })
                {
                    var file = inner is null ? "[^/]+" : string.Concat(Pieces(project, inner, defined).Select(p => p.Expression));
                    pieces.Add(new Piece($"(?<filename>{file})", "{filename}", false));
                }
                else
                {
                    pieces.AddRange(Pieces(project, [part], defined));
                }
            }
        }
    }

    private static List<Piece> Pieces(Project project, IReadOnlyList<LayoutPart> parts, HashSet<string> defined)
    {
        var pieces = new List<Piece>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case LayoutPart.Literal { Text: var text }:
                    pieces.Add(new Piece(Regex.Escape(text), text, true));
                    break;
                case LayoutPart.Drive { Roots: var roots }:
                    pieces.Add(new Piece(Group("drive", $"(?i:{string.Join('|', roots.Select(Regex.Escape))})"), "{drive}", false));
                    break;
                case LayoutPart.Value { Placeholder: var name }:
                    pieces.Add(new Piece(Group(name, ValueExpression(name, project)), $"{{{name}}}", false));
                    break;
            }
        }

        return pieces;

        string Group(string name, string expression) => defined.Add(name) ? $"(?<{name}>{expression})" : $"\\k<{name}>";
    }

    private static string ValueExpression(string placeholder, Project project) => placeholder switch
    {
        PathPlaceholders.Project => Regex.Escape(project.Id),
        PathPlaceholders.Version => @"\d{3,}",
        PathPlaceholders.Frame => @"\d{4,}|\#{4}",
        _ when PathPlaceholders.CleanForms.ContainsKey(placeholder) => "[a-z0-9._-]+?",
        _ => "[^/:]+?",
    };

    /// <summary>The whole expression; a folder template also matches its path without the last separator.</summary>
    private static string Expression(IReadOnlyList<Piece> pieces, bool end)
    {
        var expression = new StringBuilder("^");
        foreach (var piece in pieces)
        {
            expression.Append(piece.Expression);
        }

        if (end && pieces.Count > 0 && pieces[^1] is { Literal: true, Display: var last } && last.EndsWith('/'))
        {
            expression.Append('?');
        }

        return end ? expression.Append('$').ToString() : expression.ToString();
    }

    private static Match? Match(string expression, string path)
    {
        try
        {
            var match = new Regex(expression, RegexOptions.CultureInvariant, MatchTimeout).Match(path);
            return match.Success ? match : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    /// <summary>The components in the renderer's order: the template's, with the pattern's just before <c>filename</c>.</summary>
    private static List<KeyValuePair<string, string>> Components(IReadOnlyList<LayoutPart> layout, IReadOnlyList<LayoutPart>? pattern, bool fileInFolder, Match match)
    {
        var components = new List<KeyValuePair<string, string>>();
        Walk(layout);
        if (fileInFolder)
        {
            Walk(pattern!);
            Add(PathPlaceholders.Filename);
        }

        return components;

        void Walk(IReadOnlyList<LayoutPart> parts)
        {
            foreach (var part in parts)
            {
                switch (part)
                {
                    case LayoutPart.Drive:
                        Add("drive");
                        break;
                    case LayoutPart.Value { Placeholder: PathPlaceholders.Filename }:
                        if (pattern is not null)
                        {
                            Walk(pattern);
                        }

                        Add(PathPlaceholders.Filename);
                        break;
                    case LayoutPart.Value { Placeholder: var name }:
                        Add(name);
                        break;
                }
            }
        }

        void Add(string name)
        {
            if (!components.Exists(c => c.Key == name))
            {
                var value = match.Groups[name].Value;
                components.Add(new(name, name == PathPlaceholders.Version ? PathValues.VersionLabel(value) : value));
            }
        }
    }

    /// <summary>A name and its clean form read from different places must agree (<c>SQ 010</c> and <c>sq_010</c>).</summary>
    private static string? Disagreement(List<KeyValuePair<string, string>> components)
    {
        foreach (var (clean, source) in PathPlaceholders.CleanForms)
        {
            var cleanValue = components.Find(c => c.Key == clean).Value;
            var sourceValue = components.Find(c => c.Key == source).Value;
            if (cleanValue is not null && sourceValue is not null && TaskRules.Clean(sourceValue) != cleanValue)
            {
                return $"{{{source}}} is {Quote.Of(sourceValue)} but {{{clean}}} is {Quote.Of(cleanValue)}; they must be the same name";
            }
        }

        return null;
    }

    /// <summary>
    /// The longest start of the path the template follows, cut after a literal piece so no lazy
    /// group stops early; once the folders match, each file-name pattern is tried the same way.
    /// </summary>
    private static IEnumerable<PathMismatch> HowFar(Project project, PathTemplate template, IReadOnlyList<LayoutPart> layout, List<PathTemplate> patterns, string path)
    {
        var pieces = Pieces(project, layout, null, false);
        var (matched, next) = LongestStart(pieces, path);
        if (next < pieces.Count || !template.Uses(PathPlaceholders.Filename))
        {
            yield return Mismatch(template.Name, null, matched, pieces, next, path);
            yield break;
        }

        var folder = path[..(path.LastIndexOf('/') + 1)];
        var file = path[folder.Length..];
        foreach (var pattern in patterns)
        {
            var patternPieces = Pieces(project, PathLayout.ForMatching(project, pattern), new HashSet<string>(StringComparer.Ordinal));
            var (fileMatched, fileNext) = LongestStart(patternPieces, file);
            yield return Mismatch(template.Name, pattern.Name, folder + fileMatched, patternPieces, fileNext, folder + file);
        }
    }

    private static (string Matched, int Next) LongestStart(List<Piece> pieces, string path)
    {
        if (Match(Expression(pieces, end: true), path) is { } whole)
        {
            return (whole.Value, pieces.Count);
        }

        for (var count = pieces.Count - 1; count > 0; count--)
        {
            if (pieces[count - 1].Literal && Match(Expression(pieces[..count], end: false), path) is { } start)
            {
                return (start.Value, count);
            }
        }

        return ("", 0);
    }

    private static PathMismatch Mismatch(string template, string? pattern, string matched, List<Piece> pieces, int next, string path)
    {
        var expected = next < pieces.Count ? pieces[next].Display : "the end of the path";
        var rest = path[matched.Length..];
        var found = rest.Length == 0 ? "the end of the path" : rest.Split('/')[0];
        var name = pattern is null ? Quote.Of(template) : $"{Quote.Of(template)} with {Quote.Of(pattern)}";
        var error = matched.Length == 0
            ? $"Does not start like {name}: expected {expected}, found {Quote.Of(found)}"
            : $"Follows {name} up to {Quote.Of(matched)}, then expected {expected} but found {Quote.Of(found)}";
        return new PathMismatch(template, pattern, matched, expected, found, error);
    }
}
