using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.TaskImport;

/// <summary>
/// One row as the JSON body <c>POST /tasks</c> or <c>PATCH /tasks/{id}</c> would get: its non-empty
/// cells only (surrounding spaces dropped), each as its field's JSON type when it reads as one
/// (numbers of hours, <c>true</c>/<c>false</c>/<c>yes</c>/<c>no</c>, versions separated by commas,
/// frame numbers), else as the text written, so the task rules report it as they would for JSON.
/// </summary>
public sealed partial class ImportRow
{
    private ImportRow(int row, string? id, JsonObject fields, IReadOnlyList<string> named, ImportRowError? problem)
    {
        Row = row;
        Id = id;
        Fields = fields;
        Named = named;
        Problem = problem;
    }

    public int Row { get; }

    /// <summary>The <c>id</c> cell, when the row has one.</summary>
    public string? Id { get; }

    /// <summary>The row's fields, without its id: the body of a PATCH.</summary>
    public JsonObject Fields { get; }

    /// <summary>The task fields the row gives a value to.</summary>
    public IReadOnlyList<string> Named { get; }

    /// <summary>Why the row cannot be read at all (its cell count, another project), before any task rule.</summary>
    public ImportRowError? Problem { get; }

    /// <summary>The body of a <c>POST /tasks</c> for this row: its fields, and its id when it has one.</summary>
    public JsonElement CreateBody()
    {
        var body = new JsonObject();
        if (Id is not null)
        {
            body["id"] = Id;
        }

        foreach (var (name, value) in Fields)
        {
            body[name] = value?.DeepClone();
        }

        return JsonSerializer.SerializeToElement(body);
    }

    public JsonElement PatchBody() => JsonSerializer.SerializeToElement(Fields);

    public static ImportRow Read(CsvRecord record, ImportColumns columns, string projectId)
    {
        if (record.Cells.Length != columns.Width)
        {
            return new ImportRow(record.Row, null, [], [], new ImportRowError(record.Row, null, null,
                $"The row has {record.Cells.Length} cells; the header has {columns.Width} columns", ErrorCodes.InvalidFormat));
        }

        string? id = null;
        var fields = new JsonObject();
        var custom = new JsonObject();
        var named = new List<string>();
        int? start = null, end = null;
        JsonNode? startCell = null, endCell = null;
        foreach (var column in columns.Columns)
        {
            var cell = Unescaped(record.Cells[column.Index]).Trim();
            if (cell.Length == 0)
            {
                continue;
            }

            switch (column.Kind)
            {
                case ColumnKind.Id:
                    id = cell;
                    break;
                case ColumnKind.Project when cell != projectId:
                    return new ImportRow(record.Row, null, [], [], new ImportRowError(record.Row, column.Header, "projectId",
                        $"The row belongs to project {Quote.Of(cell)}; this import is into {Quote.Of(projectId)}", ErrorCodes.InvalidValue));
                case ColumnKind.Field:
                    fields[column.Name] = Value(column.Name, cell);
                    named.Add(column.Name);
                    break;
                case ColumnKind.FrameStart:
                    (start, startCell) = Frame(cell);
                    break;
                case ColumnKind.FrameEnd:
                    (end, endCell) = Frame(cell);
                    break;
                case ColumnKind.Custom:
                    custom[column.Name] = JsonOrText(cell);
                    break;
            }
        }

        if (startCell is not null || endCell is not null)
        {
            var range = new JsonObject();
            if (startCell is not null)
            {
                range["start"] = start is { } first ? first : startCell;
            }

            if (endCell is not null)
            {
                range["end"] = end is { } last ? last : endCell;
            }

            fields["frameRange"] = range;
            named.Add("frameRange");
        }

        if (!columns.Has(ColumnKind.Field, "type") && !fields.ContainsKey("shot") && fields.ContainsKey("asset"))
        {
            fields["type"] = TaskRules.Asset;
        }

        if (custom.Count > 0)
        {
            fields[TaskFields.CustomFields] = custom;
        }

        return new ImportRow(record.Row, id, fields, named, null);
    }

    private static JsonNode Value(string field, string cell) => field switch
    {
        "estimatedDurationHours" or "actualTimeLogged" when double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) => hours,
        "masterFile" when Flag(cell) is { } flag => flag,
        "versions" when cell.StartsWith('[') && JsonOrText(cell) is JsonArray list => list,
        "versions" => new JsonArray([.. cell.Split([',', ';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode)v)]),
        "frameRange" when RangeCell().Match(cell) is { Success: true } range
            && int.TryParse(range.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var from)
            && int.TryParse(range.Groups[2].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var to) =>
            new JsonObject { ["start"] = from, ["end"] = to },
        _ => cell,
    };

    /// <summary>
    /// The cell as written before the export's formula guard: a <c>'</c> in front of <c>= + - @</c>,
    /// tab, carriage return or another such <c>'</c> was added by the export and is dropped once.
    /// </summary>
    private static string Unescaped(string cell) =>
        cell is ['\'', '=' or '+' or '-' or '@' or '\t' or '\r' or '\'', ..] ? cell[1..] : cell;

    /// <summary>A custom field cell: the JSON value it holds when it reads as JSON (the export writes non-text values so), else its text.</summary>
    private static JsonNode? JsonOrText(string cell)
    {
        try
        {
            return JsonNode.Parse(cell) ?? cell;
        }
        catch (JsonException)
        {
            return cell;
        }
    }

    private static (int?, JsonNode) Frame(string cell) =>
        int.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var frame) ? (frame, frame) : (null, cell);

    private static bool? Flag(string cell) => cell.ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => null,
    };

    /// <summary><c>1001-1100</c>, as a frame range is often written in one cell.</summary>
    [GeneratedRegex(@"^\s*(-?\d+)\s*-\s*(-?\d+)\s*$")]
    private static partial Regex RangeCell();
}
