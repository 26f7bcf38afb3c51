using System.Buffers.Text;
using System.Text.Json;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Opaque keyset cursors: the sort position of the last item sent, base64url-encoded JSON.
/// Clients must not build them; the server rejects one it cannot read.
/// </summary>
public static class Cursor
{

    public static string Encode<T>(T position) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(position, StorageJson.Options));

    public static bool TryDecode<T>(string cursor, out T? position)
    {
        position = default;
        try
        {
            // A cursor is client input: a crafted one may hold text the database cannot take.
            using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(cursor));
            if (JsonText.FindUnstorable(json.RootElement, "") is not null)
            {
                return false;
            }

            position = json.RootElement.Deserialize<T>(StorageJson.Options);
            return position is not null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }
}
