using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.TaskImport;

/// <summary>What a column of the file holds.</summary>
public enum ColumnKind
{
    /// <summary>The task id.</summary>
    Id,

    /// <summary>A task field, by its camelCase name.</summary>
    Field,

    /// <summary><c>frame_start</c> or <c>frame_end</c>: one end of <c>frameRange</c>.</summary>
    FrameStart,

    FrameEnd,

    /// <summary>A custom field, by the header as written (without a <c>cf.</c> prefix).</summary>
    Custom,

    /// <summary>The project: must be empty or name the project imported into.</summary>
    Project,

    /// <summary>A value the server sets (timestamps, revision, clean names), or a column without a header: not read.</summary>
    Ignored,
}

public sealed record ImportColumn(int Index, string Header, ColumnKind Kind, string Name);

/// <summary>
/// The header, mapped to task fields. A header names a field whatever its case and separators
/// (<c>Frame Start</c>, <c>frame_start</c>, <c>frameStart</c>); any other header is a custom field,
/// and <c>cf.&lt;key&gt;</c> (as the export writes them) is the custom field <c>key</c>.
/// </summary>
public sealed class ImportColumns
{
    /// <summary>Set by the server; an exported file carries them, and an import leaves them alone.</summary>
    private static readonly string[] ServerOwned = ["createdAt", "updatedAt", "createdBy", "revision", "episodeClean", "sequenceClean", "shotClean"];

    private static readonly Dictionary<string, (ColumnKind Kind, string Name)> Known = BuildKnown();

    private static readonly string[] ShotNames = ["episode", "sequence", "shot"];

    private ImportColumns(IReadOnlyList<ImportColumn> columns, int width)
    {
        Columns = columns;
        Width = width;
    }

    public IReadOnlyList<ImportColumn> Columns { get; }

    /// <summary>How many cells a row has: as many as the header.</summary>
    public int Width { get; }

    public bool Has(ColumnKind kind, string? name = null) => Columns.Any(c => c.Kind == kind && (name is null || c.Name == name));

    /// <summary>The header of the column holding <paramref name="field"/> (a field path of a validation error), when one does.</summary>
    public string? HeaderOf(string field)
    {
        var root = field.Split('.', '[')[0];
        if (root == "frameRange")
        {
            var end = field.EndsWith(".end", StringComparison.Ordinal);
            return (Columns.FirstOrDefault(c => c.Kind == (end ? ColumnKind.FrameEnd : ColumnKind.FrameStart))
                ?? Columns.FirstOrDefault(c => c.Kind is ColumnKind.FrameStart or ColumnKind.FrameEnd)
                ?? Columns.FirstOrDefault(c => c.Kind == ColumnKind.Field && c.Name == "frameRange"))?.Header;
        }

        if (root == TaskFields.CustomFields)
        {
            var key = field.Length > root.Length + 1 ? field[(root.Length + 1)..].Trim('\'', '[', ']') : null;
            return Columns.FirstOrDefault(c => c.Kind == ColumnKind.Custom && c.Name == key)?.Header;
        }

        return Columns.FirstOrDefault(c => c.Kind switch
        {
            ColumnKind.Id => root == "id",
            ColumnKind.Project => root == "projectId",
            ColumnKind.Field => c.Name == root,
            _ => false,
        })?.Header;
    }

    /// <summary>
    /// Maps the header; null with one 400 naming every problem: a column given twice, or a column
    /// the rows need missing (<paramref name="updatesById"/>: rows of existing tasks need only their id).
    /// </summary>
    public static (ImportColumns? Columns, ApiError? Error) Map(string[] headers, bool updatesById)
    {
        var columns = new List<ImportColumn>(headers.Length);
        var problems = new ValidationProblems();
        var seen = new Dictionary<(ColumnKind, string), string>();
        for (var index = 0; index < headers.Length; index++)
        {
            var header = headers[index].Trim();
            var (kind, name) = Classify(header);
            if (kind == ColumnKind.Custom && name.Length > InputLimits.CustomFieldNameLength)
            {
                problems.Add("file", $"Column {index + 1}'s header is longer than a custom field name may be ({InputLimits.CustomFieldNameLength} characters)", ErrorCodes.OutOfRange);
            }
            else if (kind != ColumnKind.Ignored && !seen.TryAdd((kind, name), header))
            {
                problems.Add("file", $"Columns {Quote.Of(seen[(kind, name)])} and {Quote.Of(header)} both give {Describe(kind, name)}", ErrorCodes.DuplicateValue);
            }

            columns.Add(new ImportColumn(index, header, kind, name));
        }

        var mapped = new ImportColumns(columns, headers.Length);
        foreach (var missing in mapped.Missing(updatesById))
        {
            problems.Add("file", $"The file has no {Quote.Of(missing)} column", ErrorCodes.RequiredField);
        }

        if (mapped.Has(ColumnKind.FrameStart) != mapped.Has(ColumnKind.FrameEnd))
        {
            problems.Add("file", "A frame range needs both a 'frame_start' and a 'frame_end' column", ErrorCodes.RequiredField);
        }

        return problems.Any
            ? (null, ApiError.Validation($"The file's header cannot be imported: {string.Join("; ", problems.Errors.Select(e => e.Message))}", [.. problems.Errors]))
            : (mapped, null);
    }

    /// <summary>
    /// What <c>POST /tasks</c> would require of every row, as columns: <c>task</c>, and the names of
    /// the row's type. Without a <c>type</c> column a row is an asset when it names an asset and no
    /// shot, else a shot; with one, each row's own type decides and a row missing a name is a row error.
    /// </summary>
    private IEnumerable<string> Missing(bool updatesById)
    {
        if (updatesById && Has(ColumnKind.Id))
        {
            yield break;
        }

        if (!Has(ColumnKind.Field, "task"))
        {
            yield return "task";
        }

        if (Has(ColumnKind.Field, "type") || Has(ColumnKind.Field, "asset"))
        {
            yield break;
        }

        foreach (var name in ShotNames.Where(n => !Has(ColumnKind.Field, n)))
        {
            yield return name;
        }
    }

    private static (ColumnKind, string) Classify(string header)
    {
        if (header.Length == 0)
        {
            return (ColumnKind.Ignored, "");
        }

        if (header.StartsWith("cf.", StringComparison.OrdinalIgnoreCase) && header.Length > 3)
        {
            return (ColumnKind.Custom, header[3..]);
        }

        return Known.TryGetValue(Normalize(header), out var known) ? known : (ColumnKind.Custom, header);
    }

    private static string Normalize(string header) =>
        new([.. header.Where(c => c is not (' ' or '_' or '-' or '.')).Select(char.ToLowerInvariant)]);

    private static Dictionary<string, (ColumnKind, string)> BuildKnown()
    {
        var known = new Dictionary<string, (ColumnKind, string)>(StringComparer.Ordinal)
        {
            ["id"] = (ColumnKind.Id, "id"),
            ["taskid"] = (ColumnKind.Id, "id"),
            ["projectid"] = (ColumnKind.Project, "projectId"),
            ["project"] = (ColumnKind.Project, "projectId"),
            ["framestart"] = (ColumnKind.FrameStart, "frameRange"),
            ["frameend"] = (ColumnKind.FrameEnd, "frameRange"),
        };
        foreach (var name in TaskFields.Names)
        {
            known[Normalize(name)] = (ColumnKind.Field, name);
        }

        foreach (var name in ServerOwned)
        {
            known[Normalize(name)] = (ColumnKind.Ignored, name);
        }

        return known;
    }

    private static string Describe(ColumnKind kind, string name) => kind switch
    {
        ColumnKind.Custom => $"the custom field {Quote.Of(name)}",
        ColumnKind.FrameStart => "the frame range's start",
        ColumnKind.FrameEnd => "the frame range's end",
        _ => $"the field {Quote.Of(name)}",
    };
}
