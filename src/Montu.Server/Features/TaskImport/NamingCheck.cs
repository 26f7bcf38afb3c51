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
    public const string UseProjectRules = "project";
    public const string NoRules = "none";

    private readonly IReadOnlyList<(string Field, Regex Pattern)> _rules;

    private NamingCheck(IReadOnlyList<(string Field, Regex Pattern)> rules) => _rules = rules;

    public static NamingCheck None { get; } = new([]);

    /// <summary>The check <paramref name="pattern"/> names, or a 400 for a pattern that is no preset.</summary>
    public static (NamingCheck? Check, ApiError? Error) For(string? pattern, Project project)
    {
        if (pattern is null or UseProjectRules)
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

            if (!pattern.IsMatch(value))
            {
                problems.Add(field, $"Invalid {field} format", ErrorCodes.InvalidFormat);
            }
        }
    }

    /// <summary>The project's rules, checked when they were set (<see cref="ProjectRules.CheckNamingRules"/>): whole names, matched in linear time.</summary>
    private static NamingCheck FromProject(Project project) =>
        new([.. project.NamingRules.Select(r => (r.Key, ProjectRules.NamingRule(r.Value)!))]);

    private static Regex PartPattern(string part)
    {
        var letters = part.TrimEnd('#');
        return new Regex($"^(?i:{Regex.Escape(letters)})[0-9]{{{part.Length - letters.Length}}}$", RegexOptions.CultureInvariant);
    }

    [GeneratedRegex("^[A-Za-z]+#{1,9}(?:_[A-Za-z]+#{1,9}){1,2}$")]
    private static partial Regex Preset();
}
