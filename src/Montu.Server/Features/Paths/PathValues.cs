using System.Globalization;
using System.Text.RegularExpressions;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Paths;

/// <summary>
/// The values a caller gives for a path (names, version, frame, extension), checked and in the
/// form they are rendered in: <c>v3</c>, <c>3</c> and <c>003</c> are all version <c>003</c>.
/// A name may not hold a separator or be <c>.</c> or <c>..</c>, so no value can move a path
/// out of the folder its template puts it in.
/// </summary>
public sealed partial class PathValues
{
    private readonly Dictionary<string, string> _values;

    private PathValues(Dictionary<string, string> values) => _values = values;

    public static PathValues Empty { get; } = new([]);

    /// <summary>The rendered value of a given placeholder or of a clean form of one; null when not given.</summary>
    public string? Get(string placeholder) =>
        PathPlaceholders.CleanForms.TryGetValue(placeholder, out var source)
            ? _values.TryGetValue(source, out var name) ? TaskRules.Clean(name) : null
            : _values.GetValueOrDefault(placeholder);

    /// <summary>These values with <paramref name="overrides"/> put over them.</summary>
    public PathValues With(PathValues overrides)
    {
        var merged = new Dictionary<string, string>(_values);
        foreach (var (key, value) in overrides._values)
        {
            merged[key] = value;
        }

        return new PathValues(merged);
    }

    /// <summary>
    /// Reads <paramref name="given"/> (empty values count as not given), reporting each bad one
    /// under <c>{field}.{name}</c>; unknown keys are refused so a misspelt name is not silently ignored.
    /// </summary>
    public static PathValues Read(IEnumerable<KeyValuePair<string, string?>> given, string field, ValidationProblems problems)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, raw) in given)
        {
            if (!PathPlaceholders.Givable.Contains(key))
            {
                problems.Add($"{field}.{key}", $"{Quote.Of(key)} is not a path value: {string.Join(", ", PathPlaceholders.Givable)}", ErrorCodes.UnknownField);
                continue;
            }

            if (string.IsNullOrEmpty(raw))
            {
                continue;
            }

            if (Normalise(key, raw) is { } value)
            {
                values[key] = value;
            }
            else
            {
                problems.Add($"{field}.{key}", Explain(key), ErrorCodes.InvalidFormat);
            }
        }

        return new PathValues(values);
    }

    /// <summary>The values a task holds, by the names of the grammar; <c>version</c> is its current version.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> OfTask(TaskItem task)
    {
        yield return new("episode", task.Episode);
        yield return new("sequence", task.Sequence);
        yield return new("shot", task.Shot);
        yield return new("asset", task.Asset);
        yield return new("task", task.Task);
        yield return new("artist", task.Artist);
        yield return new("version", task.CurrentVersion);
    }

    /// <summary>How a version appears in components and task fields: <c>v003</c>.</summary>
    public static string VersionLabel(string rendered) => "v" + rendered;

    private static string? Normalise(string key, string raw) => key switch
    {
        PathPlaceholders.Version => VersionFormat().Match(raw) is { Success: true } m && int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out var version)
            ? version.ToString("D3", CultureInfo.InvariantCulture)
            : null,
        PathPlaceholders.Frame => raw.All(c => c == '#') ? FrameSequence
            : FrameFormat().IsMatch(raw) && int.TryParse(raw, CultureInfo.InvariantCulture, out var frame) ? frame.ToString("D4", CultureInfo.InvariantCulture) : null,
        PathPlaceholders.Ext => ExtFormat().Match(raw) is { Success: true } m ? m.Groups[1].Value : null,
        _ => IsFolderName(raw) ? raw : null,
    };

    /// <summary>A name that stays one folder or file: no separator, no control character, not <c>.</c> or <c>..</c>.</summary>
    public static bool IsFolderName(string name) =>
        name.Length <= InputLimits.NameLength && name is not ("." or "..") && !name.Any(c => c is '/' or '\\' or ':' || char.IsControl(c));

    private static string Explain(string key) => key switch
    {
        PathPlaceholders.Version => "Version must be a number, with or without 'v' (v003, 3 or 003)",
        PathPlaceholders.Frame => "Frame must be a number from 0, or '####'",
        PathPlaceholders.Ext => "Extension must be letters, digits, '.', '_' or '-' (exr, .exr or tar.gz)",
        _ => $"A {key} must be one folder name of at most {InputLimits.NameLength} characters: no '/', '\\', ':' or control characters, and not '.' or '..'",
    };

    /// <summary>What <c>{frame}</c> renders to without a frame number: the sequence's padding.</summary>
    public const string FrameSequence = "####";

    [GeneratedRegex(@"^[vV]?0*(\d{1,6})$")]
    private static partial Regex VersionFormat();

    [GeneratedRegex(@"^\d{1,9}$")]
    private static partial Regex FrameFormat();

    [GeneratedRegex(@"^\.?([A-Za-z0-9][A-Za-z0-9._-]{0,31})$")]
    private static partial Regex ExtFormat();
}
