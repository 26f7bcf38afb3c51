using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Timestamps are ISO 8601 UTC with <c>Z</c> on the wire. Input with an offset is converted to
/// UTC; input without one is taken as UTC, because a studio spans time zones and guessing the
/// server's would silently shift deadlines.
/// </summary>
public sealed class UtcDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null || !DateTime.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new JsonException("The value could not be converted to a timestamp.");
        }

        return DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        var utc = value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        writer.WriteStringValue(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
    }
}
