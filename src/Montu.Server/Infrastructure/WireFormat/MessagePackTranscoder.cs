using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using MessagePack;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Turns JSON into MessagePack and back, value for value, UTF-8 to UTF-8 (docs/decisions/0023):
/// objects are maps with text keys, arrays arrays, integers integers, other numbers float64, text
/// text. The server reads and writes JSON only; MessagePack exists at the edge. Whatever JSON cannot
/// hold (binary, extension types, maps keyed by numbers, NaN) is refused naming the field, except
/// the timestamp extension, which becomes the ISO 8601 text a JSON client would send.
/// </summary>
public static class MessagePackTranscoder
{
    /// <summary>As deep as System.Text.Json reads by default; deeper bodies are refused before the recursion gets far.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonWriterOptions JsonOutput = new()
    {
        // The JSON is read by this server only: no need to escape what HTML would mind.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Writes the one JSON value in <paramref name="json"/> as MessagePack.</summary>
    public static void ToMessagePack(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        var counts = CountMembers(json);
        var reader = new Utf8JsonReader(json);
        var writer = new MessagePackWriter(output);
        var container = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteMapHeader(counts[container++]);
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteArrayHeader(counts[container++]);
                    break;
                case JsonTokenType.PropertyName or JsonTokenType.String:
                    WriteText(ref reader, ref writer);
                    break;
                case JsonTokenType.Number when reader.TryGetInt64(out var integer):
                    writer.Write(integer);
                    break;
                case JsonTokenType.Number when reader.TryGetUInt64(out var large):
                    writer.Write(large);
                    break;
                case JsonTokenType.Number:
                    writer.Write(reader.GetDouble());
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    writer.Write(reader.GetBoolean());
                    break;
                case JsonTokenType.Null:
                    writer.WriteNil();
                    break;
            }
        }

        writer.Flush();
    }

    /// <summary>
    /// Writes the one MessagePack value in <paramref name="messagePack"/> as JSON, or throws a
    /// <see cref="MessagePackBodyException"/> naming the field that JSON cannot hold.
    /// </summary>
    public static void ToJson(ReadOnlyMemory<byte> messagePack, IBufferWriter<byte> output)
    {
        var reader = new MessagePackReader(messagePack);
        using var writer = new Utf8JsonWriter(output, JsonOutput);
        try
        {
            WriteJson(ref reader, writer, depth: 0);
            if (!reader.End)
            {
                throw new Unreadable("holds more than one value; send one map or array", ErrorCodes.MalformedJson);
            }
        }
        catch (Unreadable problem)
        {
            var field = problem.Field;
            var message = field.Length == 0 ? $"The request body {problem.Problem}" : $"Field '{field}' {problem.Problem}";
            throw new MessagePackBodyException(new FieldError(field.Length == 0 ? "body" : field, message, problem.Code));
        }
        catch (Exception e) when (e is EndOfStreamException or MessagePackSerializationException or OverflowException)
        {
            throw new MessagePackBodyException(new FieldError("body", "The request body is not valid MessagePack", ErrorCodes.MalformedJson));
        }

        writer.Flush();
    }

    /// <summary>How many members each object and array has, in the order they open: MessagePack writes the count first.</summary>
    private static List<int> CountMembers(ReadOnlySpan<byte> json)
    {
        var counts = new List<int>();
        var open = new Stack<(int Index, bool IsArray)>();
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.Pop();
                    continue;
                case JsonTokenType.PropertyName:
                    counts[open.Peek().Index]++;
                    continue;
            }

            // A value: an array's member; in an object, its name was counted.
            if (open.TryPeek(out var parent) && parent.IsArray)
            {
                counts[parent.Index]++;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                open.Push((counts.Count, reader.TokenType == JsonTokenType.StartArray));
                counts.Add(0);
            }
        }

        return counts;
    }

    private static void WriteText(ref Utf8JsonReader reader, ref MessagePackWriter writer)
    {
        if (!reader.ValueIsEscaped)
        {
            writer.WriteString(reader.ValueSpan);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            writer.WriteString(rented.AsSpan(0, reader.CopyString(rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void WriteJson(ref MessagePackReader reader, Utf8JsonWriter writer, int depth)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                writer.WriteNullValue();
                break;
            case MessagePackType.Boolean:
                writer.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                writer.WriteNumberValue(reader.ReadUInt64());
                break;
            case MessagePackType.Integer:
                writer.WriteNumberValue(reader.ReadInt64());
                break;
            case MessagePackType.Float:
                WriteNumber(ref reader, writer);
                break;
            case MessagePackType.String:
                writer.WriteStringValue(Text(ref reader));
                break;
            case MessagePackType.Extension when IsTimestamp(reader):
                writer.WriteStringValue(reader.ReadDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                break;
            case MessagePackType.Array:
                WriteArray(ref reader, writer, depth + 1);
                break;
            case MessagePackType.Map:
                WriteMap(ref reader, writer, depth + 1);
                break;
            case MessagePackType.Binary:
                throw new Unreadable("is binary data, which the API's fields cannot hold; send text", ErrorCodes.InvalidType);
            case MessagePackType.Extension:
                throw new Unreadable("is a MessagePack extension type the API does not read; only timestamps (type -1) are read", ErrorCodes.InvalidType);
            default:
                throw new Unreadable("is not valid MessagePack", ErrorCodes.MalformedJson);
        }
    }

    private static void WriteNumber(ref MessagePackReader reader, Utf8JsonWriter writer)
    {
        if (reader.NextCode == MessagePackCode.Float32)
        {
            var single = reader.ReadSingle();
            if (!float.IsFinite(single))
            {
                throw new Unreadable("is not a finite number", ErrorCodes.InvalidValue);
            }

            // float32 is written by its shortest form (0.1, not 0.100000001490116).
            writer.WriteNumberValue(single);
            return;
        }

        var number = reader.ReadDouble();
        if (!double.IsFinite(number))
        {
            throw new Unreadable("is not a finite number", ErrorCodes.InvalidValue);
        }

        writer.WriteNumberValue(number);
    }

    private static void WriteArray(ref MessagePackReader reader, Utf8JsonWriter writer, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new Unreadable($"nests deeper than {MaxDepth} levels", ErrorCodes.InvalidValue);
        }

        var count = reader.ReadArrayHeader();
        writer.WriteStartArray();
        for (var index = 0; index < count; index++)
        {
            try
            {
                WriteJson(ref reader, writer, depth);
            }
            catch (Unreadable problem)
            {
                throw problem.Within($"[{index}]");
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteMap(ref MessagePackReader reader, Utf8JsonWriter writer, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new Unreadable($"nests deeper than {MaxDepth} levels", ErrorCodes.InvalidValue);
        }

        var count = reader.ReadMapHeader();
        writer.WriteStartObject();
        for (var index = 0; index < count; index++)
        {
            if (reader.NextMessagePackType != MessagePackType.String)
            {
                throw new Unreadable($"has a key that is not text (entry {index}); JSON objects, and so the API's, are keyed by text", ErrorCodes.InvalidType);
            }

            var name = Text(ref reader);
            try
            {
                writer.WritePropertyName(name);
                WriteJson(ref reader, writer, depth);
            }
            catch (Unreadable problem)
            {
                throw problem.Within("." + Encoding.UTF8.GetString(name));
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>A string's UTF-8 bytes; like JSON, text that is not valid UTF-8 (a lone surrogate among them) is refused.</summary>
    private static ReadOnlySpan<byte> Text(ref MessagePackReader reader)
    {
        var bytes = reader.TryReadStringSpan(out var span) ? span : reader.ReadStringSequence()!.Value.ToArray();
        return Utf8.IsValid(bytes) ? bytes : throw new Unreadable(JsonText.NotUnicode, ErrorCodes.InvalidFormat);
    }

    private static bool IsTimestamp(MessagePackReader reader) =>
        reader.CreatePeekReader().ReadExtensionFormatHeader().TypeCode == ReservedMessagePackExtensionTypeCode.DateTime;

    /// <summary>A problem found at some depth; each level it passes on the way out adds its key or index to the field.</summary>
    private sealed class Unreadable(string problem, string code) : Exception
    {
        private readonly List<string> _outward = [];

        public string Problem => problem;

        public string Code => code;

        /// <summary><c>frameRange.start</c>, <c>tasks[3].id</c>; empty for the body itself.</summary>
        public string Field
        {
            get
            {
                var path = new StringBuilder();
                for (var i = _outward.Count - 1; i >= 0; i--)
                {
                    path.Append(_outward[i]);
                }

                return Quote.Name(path.ToString().TrimStart('.'));
            }
        }

        /// <summary>Adds the segment (<c>.name</c> or <c>[index]</c>) of the level the problem passes out of.</summary>
        public Unreadable Within(string segment)
        {
            _outward.Add(segment);
            return this;
        }
    }
}

/// <summary>
/// A MessagePack request body that cannot become JSON. A <see cref="JsonException"/>, so every
/// path that reads a body answers it as it answers malformed JSON: 400 with <see cref="Detail"/>.
/// </summary>
public sealed class MessagePackBodyException(FieldError detail) : JsonException(detail.Message)
{
    public FieldError Detail => detail;
}
