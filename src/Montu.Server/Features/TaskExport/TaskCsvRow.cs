using System.Buffers;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Montu.Server.Features.Tasks;

namespace Montu.Server.Features.TaskExport;

/// <summary>
/// Writes stored task documents as CSV rows, one export's worth, reusing its buffers. A document
/// is read once with <see cref="Utf8JsonReader"/> and each core value goes to CsvHelper as the
/// UTF-8 bytes the document holds (numbers, unescaped text, the <c>versions</c> array), so a row
/// allocates next to nothing; only escaped text and custom fields become strings.
/// </summary>
public sealed class TaskCsvRow(IReadOnlyList<string> fields, IReadOnlyList<string> customKeys) : IDisposable
{
    private static readonly byte[] Start = "start"u8.ToArray(), End = "end"u8.ToArray();

    private readonly byte[][] _names = fields.Select(Encoding.UTF8.GetBytes).ToArray();
    private readonly int _frameRange = IndexOf(fields, TaskCsvExport.FrameRange);
    private readonly int _customFields = IndexOf(fields, TaskFields.CustomFields);

    /// <summary>The core column of each field (<c>frameRange</c> has two, custom fields none).</summary>
    private readonly int[] _columnOf = ColumnsOf(fields);

    /// <summary>Each core column's cell: a slice of the document, or text when the value was escaped.</summary>
    private readonly (int Start, int Length)[] _slices = new (int, int)[fields.Count];
    private readonly string?[] _texts = new string?[fields.Count];
    private readonly Dictionary<string, JsonElement> _custom = new(StringComparer.Ordinal);
    private byte[] _utf8 = ArrayPool<byte>.Shared.Rent(4096);

    public void Write(CsvWriter csv, string json)
    {
        var length = Encoding.UTF8.GetMaxByteCount(json.Length);
        if (_utf8.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_utf8);
            _utf8 = ArrayPool<byte>.Shared.Rent(length);
        }

        var bytes = _utf8.AsSpan(0, Encoding.UTF8.GetBytes(json, _utf8));
        Array.Clear(_slices);
        Array.Clear(_texts);
        _custom.Clear();
        JsonDocument? custom = null;
        try
        {
            var reader = new Utf8JsonReader(bytes);
            reader.Read();
            var expected = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Find(ref reader, expected);
                reader.Read();
                if (field < 0)
                {
                    reader.Skip();
                    continue;
                }

                expected = field + 1;
                if (field == _customFields)
                {
                    if (customKeys.Count == 0 || reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    custom = JsonDocument.ParseValue(ref reader);
                    foreach (var property in custom.RootElement.EnumerateObject())
                    {
                        _custom[property.Name] = property.Value;
                    }
                }
                else if (field == _frameRange && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var cell = reader.ValueTextEquals(Start) ? _columnOf[field] : reader.ValueTextEquals(End) ? _columnOf[field] + 1 : -1;
                        reader.Read();
                        if (cell >= 0)
                        {
                            Keep(ref reader, cell);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    Keep(ref reader, _columnOf[field]);
                }
            }

            for (var cell = 0; cell < _slices.Length; cell++)
            {
                WriteCell(csv, bytes, cell);
            }

            foreach (var key in customKeys)
            {
                csv.WriteField(TaskCsvExport.CustomCell(_custom.TryGetValue(key, out var value) ? value : default));
            }
        }
        finally
        {
            custom?.Dispose();
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_utf8);

    /// <summary>The field the reader's property names: documents list fields in the contract's order, so the next one is tried first.</summary>
    private int Find(ref Utf8JsonReader reader, int expected)
    {
        if (expected < _names.Length && reader.ValueTextEquals(_names[expected]))
        {
            return expected;
        }

        for (var i = 0; i < _names.Length; i++)
        {
            if (reader.ValueTextEquals(_names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Keeps the value at the reader as cell <paramref name="cell"/>: strings without their quotes, lists and objects as their JSON.</summary>
    private void Keep(ref Utf8JsonReader reader, int cell)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String when reader.ValueIsEscaped:
                _texts[cell] = reader.GetString();
                break;
            case JsonTokenType.String:
                _slices[cell] = ((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                break;
            case JsonTokenType.StartArray or JsonTokenType.StartObject:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                _slices[cell] = (start, (int)reader.BytesConsumed - start);
                break;
            case JsonTokenType.Null:
                break;
            default:
                _slices[cell] = ((int)reader.TokenStartIndex, reader.ValueSpan.Length);
                break;
        }
    }

    private void WriteCell(CsvWriter csv, ReadOnlySpan<byte> document, int cell)
    {
        if (_texts[cell] is { } text)
        {
            csv.WriteField(TaskCsvExport.Defused(text));
            return;
        }

        var value = document.Slice(_slices[cell].Start, _slices[cell].Length);
        if (TaskCsvExport.NeedsApostrophe(value))
        {
            csv.WriteField(TaskCsvExport.Defused(Encoding.UTF8.GetString(value)));
        }
        else
        {
            csv.WriteField(value);
        }
    }

    /// <summary>Custom fields have columns of their own, after the core ones; the frame range is two.</summary>
    private static int[] ColumnsOf(IReadOnlyList<string> fields)
    {
        var columns = new int[fields.Count];
        var next = 0;
        for (var i = 0; i < fields.Count; i++)
        {
            columns[i] = fields[i] == TaskFields.CustomFields ? -1 : next;
            next += fields[i] switch
            {
                TaskFields.CustomFields => 0,
                TaskCsvExport.FrameRange => 2,
                _ => 1,
            };
        }

        return columns;
    }

    private static int IndexOf(IReadOnlyList<string> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"No field {name}", nameof(fields));
    }
}
