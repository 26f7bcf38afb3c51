using System.Text.RegularExpressions;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.TaskImport;

/// <summary>
/// The naming an import holds the names of its rows to (<c>naming_pattern</c>): a preset written as
/// the names look, <c>#</c> standing for one digit, parts separated by <c>_</c>. Three parts are the
/// episode, sequence and shot (<c>ep##_sq###_sh####</c>: <c>ep01</c>, <c>sq010</c>, <c>sh0020</c>), two
/// the sequence and shot (<c>sq###_sh####</c>); letters match in any case. Left out, or
/// <c>project</c>, the project's <c>namingRules</c> apply (a regular expression per name); <c>none</c>
/// checks nothing.
/// </summary>
public sealed partial class NamingCheck
{
    public const string ProjectRules = "project";
    public const string NoRules = "none";

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly IReadOnlyList<(string Field, Regex Pattern)> _rules;

    private NamingCheck(IReadOnlyList<(string Field, Regex Pattern)> rules) => _rules = rules;

    public static NamingCheck None { get; } = new([]);

    /// <summary>The check <paramref name="pattern"/> names, or a 400 for a pattern that is no preset.</summary>
    public static (NamingCheck? Check, ApiError? Error) For(string? pattern, Project project)
    {
        if (pattern is null or ProjectRules)
        {
            return (FromProject(project), null);
        }

        if (pattern == NoRules)
        {
            return (None, null);
        }

        if (!Preset().IsMatch(pattern))
        {
            return (null, ApiError.Validation(new FieldError("naming_pattern",
                "naming_pattern must be a preset such as ep##_sq###_sh#### or sq###_sh#### (letters, then # for each digit, parts joined by _), 'project' or 'none'",
                ErrorCodes.InvalidFormat)));
        }

        var parts = pattern.Split('_');
        string[] fields = parts.Length == 3 ? ["episode", "sequence", "shot"] : ["sequence", "shot"];
        return (new NamingCheck([.. parts.Select((part, i) => (fields[i], PartPattern(part)))]), null);
    }

    /// <summary>
    /// Adds a row error to <paramref name="problems"/> for each of <paramref name="fields"/> whose
    /// value in <paramref name="task"/> does not match its rule; empty values are left to the task rules.
    /// </summary>
    public void Check(TaskItem task, IReadOnlyCollection<string> fields, ValidationProblems problems)
    {
        foreach (var (field, pattern) in _rules.Where(r => fields.Contains(r.Field)))
        {
            var value = field switch
            {
                "episode" => task.Episode,
                "sequence" => task.Sequence,
                "shot" => task.Shot,
                _ => task.Asset,
            };
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            bool matches;
            try
            {
                matches = pattern.IsMatch(value);
            }
            catch (RegexMatchTimeoutException)
            {
                matches = false;
            }

            if (!matches)
            {
                problems.Add(field, $"Invalid {field} format", ErrorCodes.InvalidFormat);
            }
        }
    }

    private static NamingCheck FromProject(Project project) => None;

    private static Regex PartPattern(string part)
    {
        var letters = part.TrimEnd('#');
        return new Regex($"^(?i:{Regex.Escape(letters)})[0-9]{{{part.Length - letters.Length}}}$", RegexOptions.CultureInvariant, MatchTimeout);
    }

    [GeneratedRegex("^[A-Za-z]+#{1,9}(?:_[A-Za-z]+#{1,9}){1,2}$")]
    private static partial Regex Preset();
}
