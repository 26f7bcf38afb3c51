using System.Text.Json;
using System.Text.Json.Nodes;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Realtime;

/// <summary>One row of the event log, as channels and the changes feed read it.</summary>
public sealed class EventRow
{
    public long Seq { get; set; }

    public string Type { get; set; } = "";

    public string? ProjectId { get; set; }

    public string EntityType { get; set; } = "";

    public string EntityId { get; set; } = "";

    /// <summary>The payload as stored: JSON, camelCase.</summary>
    public string Payload { get; set; } = "{}";

    public string? UserId { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// An event on its way to clients: its <c>data</c> is the stored payload with the acting
/// <c>user</c> and the commit <c>timestamp</c> added, and its socket message is encoded once,
/// however many sockets it goes to.
/// </summary>
public sealed class LoggedEvent
{
    private byte[]? _legacyMessage;

    public LoggedEvent(EventRow row)
    {
        Row = row;
        Data = JsonNode.Parse(row.Payload) as JsonObject ?? [];
        Data["user"] = row.UserId;
        Data["timestamp"] = DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc);
        MediaId = Text(Data["mediaId"]) ?? Text(Data["annotation"]?["mediaId"]);
        Recipient = row.EntityType == "notification" ? Text(Data["notification"]?["userId"]) : null;
        Message = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = row.Type, ["seq"] = row.Seq, ["data"] = Data.DeepClone() }, WireJson.Default);
    }

    public EventRow Row { get; }

    public long Seq => Row.Seq;

    /// <summary>The event's <c>data</c>; shared by every socket, so never changed after construction.</summary>
    public JsonObject Data { get; }

    /// <summary>The media an annotation event is about (its payload's <c>mediaId</c>).</summary>
    public string? MediaId { get; }

    /// <summary>Whose notification this is, for a notification event.</summary>
    public string? Recipient { get; }

    /// <summary>The socket message, camelCase.</summary>
    public byte[] Message { get; }

    /// <summary>The socket message in the v2.0 shape, encoded the first time a legacy socket needs it.</summary>
    public byte[] LegacyMessage => _legacyMessage ??= JsonSerializer.SerializeToUtf8Bytes(
        LegacyKeys.Rename(new JsonObject { ["type"] = Row.Type, ["seq"] = Row.Seq, ["data"] = Data.DeepClone() }), WireJson.Default);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
