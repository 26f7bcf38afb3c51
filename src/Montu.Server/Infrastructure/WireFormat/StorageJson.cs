using System.Text.Json;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// How JSON columns and cursors are stored: fixed camelCase, independent of the wire shape a
/// client asks for, so stored data never changes with API versions.
/// </summary>
public static class StorageJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}
