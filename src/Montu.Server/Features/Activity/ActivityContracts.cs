using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Montu.Server.Features.Activity;

/// <summary>Who acted: the user's id and display name as it reads now.</summary>
public sealed record ActivityUser(string Id, [property: Description("The display name; null when the account no longer has one")] string? Name);

/// <summary>One event of the log as people read it (docs/api.md §Activity and audit).</summary>
public sealed record ActivityEntry(
    [property: Description("The event's place in the log")] long Seq,
    [property: Description("The event type: task_updated, media_approved, ...")] string Type,
    [property: Description("The kind of thing changed: task, media, project, playlist, ...; in a task's history, task for a bulk change or import narrowed to it")] string EntityType,
    string EntityId,
    string? ProjectId,
    [property: Description("Who acted; null for the server's own work (media processing, a session it ended)")] ActivityUser? User,
    DateTime Timestamp,
    [property: Description("A short sentence saying what happened")] string Summary,
    [property: Description("{field: {from, to}} for events that record changed fields; from is left out when the event did not record the old value. A bulk change lists {taskId: {field: {from, to}}}. Null otherwise")] IReadOnlyDictionary<string, JsonElement>? Changes);

/// <summary>One entry of the audit: an activity entry with the event's recorded details.</summary>
public sealed record AuditEntry(
    long Seq,
    string Type,
    string EntityType,
    string EntityId,
    string? ProjectId,
    ActivityUser? User,
    DateTime Timestamp,
    string Summary,
    IReadOnlyDictionary<string, JsonElement>? Changes,
    [property: Description("The event's recorded details: for security events the address (ip), userAgent, email, session and reason")] JsonElement Data);

/// <summary>The filters a list was given, and only those.</summary>
public sealed record ActivityFilters
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProjectId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EntityType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EntityId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? Since { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? Until { get; init; }
}

/// <summary>The position of the last entry sent: lists run newest first, by seq.</summary>
public sealed record ActivityCursor(long Seq);
