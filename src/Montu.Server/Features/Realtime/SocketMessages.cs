using System.Text.Json;
using System.Text.Json.Nodes;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Realtime;

/// <summary>The messages a socket sends besides events, in the envelope events use: <c>{"type", "seq", "data"}</c>.</summary>
public static class SocketMessages
{
    public static byte[] Ready(long seq, bool legacy) => Encode(new JsonObject { ["type"] = "ready", ["seq"] = seq }, legacy);

    public static byte[] Pong(long seq, bool legacy) => Encode(new JsonObject { ["type"] = "pong", ["seq"] = seq }, legacy);

    /// <summary>The client must reload what it shows: events it would need are gone (or, past <paramref name="seq"/>, were never queued for it).</summary>
    public static byte[] ResyncRequired(long seq, long oldestSeq, bool legacy) =>
        Encode(new JsonObject { ["type"] = "resync_required", ["seq"] = seq, ["data"] = new JsonObject { ["oldestSeq"] = oldestSeq } }, legacy);

    public static byte[] Authenticated(long seq, DateTimeOffset expiresAt, bool legacy) =>
        Encode(new JsonObject { ["type"] = "authenticated", ["seq"] = seq, ["data"] = new JsonObject { ["expiresAt"] = expiresAt.UtcDateTime } }, legacy);

    /// <summary>A client message the server could not act on, with the error envelope's fields.</summary>
    public static byte[] Error(string code, string message, string requestId, DateTimeOffset now, bool legacy) => Encode(new JsonObject
    {
        ["type"] = "error",
        ["code"] = code,
        ["message"] = message,
        ["details"] = new JsonArray(),
        ["requestId"] = requestId,
        ["timestamp"] = now.UtcDateTime,
    }, legacy);

    private static byte[] Encode(JsonObject message, bool legacy) =>
        JsonSerializer.SerializeToUtf8Bytes(legacy ? LegacyKeys.Rename(message) : message, WireJson.Default);
}
