using System.Text.Json;
using System.Text.RegularExpressions;
using CsvHelper;
using Dapper;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.TaskExport;

/// <summary>
/// The tasks CSV (docs/api.md §CSV export, decision 0032): one column per task field under its
/// wire name, <c>frameRange</c> as <c>frameStart</c> and <c>frameEnd</c>, then one <c>cf.&lt;key&gt;</c>
/// column per custom field any matching task has. Rows are read from the task list's own query a
/// chunk at a time along its keyset and written as they come, so memory does not grow with the
/// number of tasks and no connection is held while the client reads.
/// </summary>
public sealed partial class TaskCsvExport(Db db, TaskListing listing)
{
    public const int ChunkSize = 1000;

    /// <summary>Custom field columns one export may have: each is a cell on every row, so a show whose tasks carry thousands of distinct keys is exported a part at a time.</summary>
    public const int MaxCustomFieldColumns = 1000;

    public const string CustomFieldPrefix = "cf.";

    private const string InjectionCharacters = "=+-@\t\r";

    public const string FrameRange = "frameRange";

    /// <summary>The task fields as the JSON shows them, in its order; custom fields get columns of their own, after the others.</summary>
    private static readonly string[] Fields = WireJson.Default.GetTypeInfo(typeof(TaskItem)).Properties
        .Where(p => p.Get is not null).Select(p => p.Name).ToArray();

    private static CsvWriterOptions Options(bool bom) => new()
    {
        Injection = CsvInjection.Escape,
        InjectionCharacters = InjectionCharacters,
        InjectionEscape = '\'',
        WriteByteOrderMark = bom,
    };

    /// <summary>The keys of the matching tasks' custom fields, in ordinal order; null when there are more than <see cref="MaxCustomFieldColumns"/>.</summary>
    public async Task<IReadOnlyList<string>?> CustomFieldKeysAsync(TaskFilters filters, ReadableProjects readable, CancellationToken ct)
    {
        var args = new DynamicParameters();
        var where = string.Join(" AND ", listing.Conditions(filters, readable, args));
        args.Add("max", MaxCustomFieldColumns + 1);
        var keys = db.Dialect.Engine == DbEngine.Postgres
            ? $"SELECT DISTINCT k.key FROM (SELECT custom_fields FROM tasks WHERE {where}) t, jsonb_object_keys(t.custom_fields) AS k(key) LIMIT @max"
            : $"SELECT DISTINCT j.key FROM (SELECT custom_fields FROM tasks WHERE {where}) t, json_each(t.custom_fields) AS j LIMIT @max";
        await using var connection = await db.OpenAsync(ct);
        var found = (await connection.QueryAsync<string>(new CommandDefinition(keys, args, cancellationToken: ct))).ToList();
        return found.Count > MaxCustomFieldColumns ? null : found.Order(StringComparer.Ordinal).ToList();
    }

    public async Task WriteAsync(
        Stream body, TaskFilters filters, ReadableProjects readable, TaskSort sort, IReadOnlyList<string> customKeys, bool bom, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, Options(bom), leaveOpen: true);
        csv.WriteHeader([.. Fields.SelectMany(Header), .. customKeys.Select(key => CustomFieldPrefix + key)]);
        using var row = new TaskCsvRow(Fields, customKeys);
        TaskCursor? after = null;
        while (true)
        {
            var chunk = await listing.ChunkAsync(filters, readable, sort, after, ChunkSize, ct);
            foreach (var task in chunk)
            {
                row.Write(csv, task.Task.Json);
                await csv.EndRecordAsync(ct);
            }

            if (chunk.Count < ChunkSize)
            {
                break;
            }

            after = sort.PositionAfter(chunk[^1]);
        }

        await csv.FlushAsync(ct);
    }

    private static IEnumerable<string> Header(string field) => field switch
    {
        FrameRange => ["frameStart", "frameEnd"],
        TaskFields.CustomFields => [],
        _ => [field],
    };


    /// <summary>
    /// A custom field's cell. Its value may be any JSON, so an import reads a cell that parses as
    /// JSON as that value and any other cell as text: text that would parse as JSON (<c>"3"</c>,
    /// <c>"true"</c>, <c>"[1]"</c>, <c>"\"quoted\""</c>) is written as its JSON string, quotes included, to
    /// come back as text.
    /// </summary>
    public static string CustomCell(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && IsJson(value.GetString()!) ? Defused(value.GetRawText()) : Cell(value);

    /// <summary>Whether <see cref="JsonDocument.Parse(string, JsonDocumentOptions)"/> would read <paramref name="text"/>; plain words and dates are told apart without an exception.</summary>
    private static bool IsJson(string text)
    {
        var trimmed = text.AsSpan().Trim(" \t\r\n");
        if (trimmed is "true" or "false" or "null" || JsonNumber().IsMatch(trimmed))
        {
            return true;
        }

        if (trimmed.IsEmpty || trimmed[0] is not ('"' or '[' or '{'))
        {
            return false;
        }

        try
        {
            using var parsed = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();

    /// <summary>
    /// A value as its cell: text as it is, numbers and booleans as JSON writes them, lists and
    /// objects as their JSON. CsvHelper puts <c>'</c> before a cell starting with a formula character;
    /// a cell that already starts with <c>'</c> followed by one of them, or by another <c>'</c>, gets
    /// one more, so an import that drops the first <c>'</c> of such cells reads every value back as it was.
    /// </summary>
    public static string Cell(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Undefined or JsonValueKind.Null => "",
            _ => value.GetRawText(),
        };
        return Defused(text);
    }

    public static string Defused(string text) =>
        text.Length > 1 && text[0] == '\'' && (text[1] == '\'' || InjectionCharacters.Contains(text[1])) ? "'" + text : text;

    /// <summary>Whether <see cref="Defused"/> would change these UTF-8 bytes.</summary>
    public static bool NeedsApostrophe(ReadOnlySpan<byte> text) =>
        text.Length > 1 && text[0] == '\'' && (text[1] == '\'' || InjectionCharacters.Contains((char)text[1]));
}
