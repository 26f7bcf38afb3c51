using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Activity;

/// <summary>One event as the activity queries read it: the log's row, with the names of its actor and of the user it is about.</summary>
public sealed class ActivityRow
{
    public long Seq { get; set; }

    public string Type { get; set; } = "";

    public string? ProjectId { get; set; }

    public string EntityType { get; set; } = "";

    public string EntityId { get; set; } = "";

    public string Payload { get; set; } = "{}";

    public string? UserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public string? UserName { get; set; }

    /// <summary>The display name of the user an account event is about.</summary>
    public string? SubjectName { get; set; }
}

/// <summary>
/// Turns events into readable entries: a sentence and the changed fields as <c>{from, to}</c>.
/// A bulk change or import read for one task's history is narrowed to that task.
/// </summary>
public static class ActivityEntries
{
    public static ActivityEntry Entry(ActivityRow row, string? forTask = null)
    {
        using var document = JsonDocument.Parse(row.Payload);
        var payload = document.RootElement;
        var narrowed = forTask is not null && row.EntityType == "tasks";
        var changes = narrowed ? TaskChangesIn(payload, forTask!) : Changes(row.Type, payload);
        return new ActivityEntry(row.Seq, row.Type, narrowed ? "task" : row.EntityType, narrowed ? forTask! : row.EntityId, row.ProjectId,
            Actor(row), Utc(row.CreatedAt), Summary(row, payload, narrowed ? forTask : null), changes);
    }

    public static AuditEntry Audit(ActivityRow row)
    {
        var entry = Entry(row);
        using var document = JsonDocument.Parse(row.Payload);
        return new AuditEntry(entry.Seq, entry.Type, entry.EntityType, entry.EntityId, entry.ProjectId, entry.User, entry.Timestamp, entry.Summary,
            entry.Changes, document.RootElement.Clone());
    }

    private static ActivityUser? Actor(ActivityRow row) => row.UserId is null ? null : new ActivityUser(row.UserId, row.UserName);

    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);

    /// <summary>The event's changed fields: a bulk event's per task, any other's with the previous values it recorded.</summary>
    private static Dictionary<string, JsonElement>? Changes(string type, JsonElement payload)
    {
        if (type == "project_member_updated")
        {
            return FromTo(new JsonObject { ["role"] = Node(payload, "role") }, new JsonObject { ["role"] = Node(payload, "previousRole") });
        }

        if (!payload.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var previous = payload.TryGetProperty("previous", out var old) && old.ValueKind == JsonValueKind.Object ? old : default;
        if (type == TaskEvents.BulkUpdated)
        {
            var perTask = new JsonObject();
            foreach (var task in changes.EnumerateObject())
            {
                perTask[task.Name] = FieldChanges(task.Value, previous.ValueKind == JsonValueKind.Object && previous.TryGetProperty(task.Name, out var was) ? was : default);
            }

            return AsMap(perTask);
        }

        return AsMap(FieldChanges(changes, previous));
    }

    /// <summary>One task's changes in a bulk event; an import's creation names no fields.</summary>
    private static Dictionary<string, JsonElement>? TaskChangesIn(JsonElement payload, string taskId) =>
        payload.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Object && changes.TryGetProperty(taskId, out var mine)
            ? AsMap(FieldChanges(mine,
                payload.TryGetProperty("previous", out var previous) && previous.ValueKind == JsonValueKind.Object && previous.TryGetProperty(taskId, out var was) ? was : default))
            : null;

    private static Dictionary<string, JsonElement> AsMap(JsonObject changes) =>
        changes.ToDictionary(c => c.Key, c => JsonSerializer.SerializeToElement(c.Value, WireJson.Default), StringComparer.Ordinal);

    private static JsonObject FieldChanges(JsonElement changes, JsonElement previous)
    {
        var result = new JsonObject();
        if (changes.ValueKind != JsonValueKind.Object)
        {
            return result;
        }

        var recordsPrevious = previous.ValueKind == JsonValueKind.Object;
        // Without previous values the changes are the request as sent: a null there is a field it left out.
        foreach (var field in changes.EnumerateObject().Where(f => recordsPrevious || f.Value.ValueKind != JsonValueKind.Null))
        {
            var entry = new JsonObject();
            if (recordsPrevious && previous.TryGetProperty(field.Name, out var from))
            {
                entry["from"] = JsonNode.Parse(from.GetRawText());
            }

            entry["to"] = JsonNode.Parse(field.Value.GetRawText());
            result[field.Name] = entry;
        }

        return result;
    }

    private static Dictionary<string, JsonElement> FromTo(JsonObject to, JsonObject from)
    {
        var result = new JsonObject();
        foreach (var (field, value) in to)
        {
            result[field] = new JsonObject { ["from"] = from[field]?.DeepClone(), ["to"] = value?.DeepClone() };
        }

        return AsMap(result);
    }

    private static JsonNode? Node(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) ? JsonNode.Parse(value.GetRawText()) : null;

    private static string? Text(JsonElement payload, params string[] path)
    {
        var current = payload;
        foreach (var step in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out current))
            {
                return null;
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Number => current.GetRawText(),
            _ => null,
        };
    }

    private static int Count(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0;

    private static string Tasks(int count) => count == 1 ? "1 task" : string.Create(CultureInfo.InvariantCulture, $"{count} tasks");

    /// <summary>"moved X to in_progress" when the status changed, else the fields changed.</summary>
    private static string TaskChange(JsonElement changes, string taskId)
    {
        if (changes.ValueKind != JsonValueKind.Object)
        {
            return $"changed {taskId}";
        }

        if (changes.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String)
        {
            return $"moved {taskId} to {status.GetString()}";
        }

        var fields = changes.EnumerateObject().Select(f => f.Name).ToList();
        return fields.Count == 0 ? $"changed nothing of {taskId}" : $"changed {Fields(fields)} of {taskId}";
    }

    private static string Fields(List<string> fields) => fields.Count <= 3
        ? string.Join(", ", fields)
        : string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", fields.Take(3))} and {fields.Count - 3} more");

    private static List<string> SentFields(JsonElement changes) => changes.ValueKind == JsonValueKind.Object
        ? changes.EnumerateObject().Where(f => f.Value.ValueKind != JsonValueKind.Null).Select(f => f.Name).ToList()
        : [];

    private static string Words(string type) => type.Replace('_', ' ');

    private static string Summary(ActivityRow row, JsonElement payload, string? forTask)
    {
        var actor = row.UserName ?? row.UserId ?? "The server";
        var subject = row.SubjectName ?? row.EntityId;
        var changes = payload.TryGetProperty("changes", out var c) ? c : default;
        var id = row.EntityId;
        var from = Text(payload, "ip") is { } ip ? $" from {ip}" : "";
        return row.Type switch
        {
            "task_created" => $"{actor} created {id}",
            TaskEvents.Updated => $"{actor} {TaskChange(changes, id)}",
            TaskEvents.Archived => $"{actor} archived {id}",
            TaskEvents.Restored => $"{actor} restored {id}",
            TaskEvents.BulkUpdated when forTask is not null =>
                $"{actor} {TaskChange(changes.ValueKind == JsonValueKind.Object && changes.TryGetProperty(forTask, out var mine) ? mine : default, forTask)} ({Text(payload, "operation") ?? "bulk update"})",
            TaskEvents.BulkUpdated => $"{actor} updated {Tasks(Count(payload, "taskIds"))} ({Text(payload, "operation") ?? "bulk update"})",
            "task_dependency_added" => $"{actor} made {id} wait on {Text(payload, "dependsOn")}",
            "task_dependency_removed" => $"{actor} made {id} no longer wait on {Text(payload, "dependsOn")}",
            "tasks_imported" when forTask is not null => $"{actor} created {forTask} by CSV import",
            "tasks_imported" => $"{actor} imported {Tasks(Count(payload, "taskIds"))} from CSV",
            "media_uploaded" => $"{actor} uploaded {Text(payload, "media", "fileName")} as {Text(payload, "media", "linkedVersion") ?? "a reference"}"
                + (Text(payload, "media", "linkedTaskId") is { } task ? $" of {task}" : ""),
            "media_approved" => $"{actor} set {id} to {Text(payload, "approvalStatus")}",
            "media_updated" => $"{actor} changed the description and tags of {id}",
            "media_processed" => $"Processing of {id} ended {Text(payload, "processing", "status")}",
            "media_deleted" => $"{actor} deleted {id}",
            "annotation_created" => $"{actor} added a note on {Text(payload, "annotation", "mediaId") ?? id}",
            "annotation_updated" => $"{actor} changed note {id}",
            "annotation_archived" => $"{actor} archived note {id}",
            "time_log_created" => $"{actor} logged {Text(payload, "timeLog", "hours")} h on {Text(payload, "taskId")}",
            "time_log_updated" => $"{actor} changed time log {id} on {Text(payload, "taskId")}",
            "time_log_deleted" => $"{actor} deleted time log {id} on {Text(payload, "taskId")}",
            "project_created" => $"{actor} created project {id}",
            "project_updated" => $"{actor} changed the settings of project {id}",
            "project_archived" => $"{actor} archived project {id}",
            "project_restored" => $"{actor} restored project {id}",
            "project_members_added" => $"{actor} added {Count(payload, "members")} member(s) to {id}",
            "project_member_updated" => $"{actor} made {Text(payload, "userId")} {Text(payload, "role")} in {id}",
            "project_member_removed" => $"{actor} removed {Text(payload, "userId")} from {id}",
            "playlist_created" => $"{actor} created playlist {Text(payload, "playlist", "name") ?? id}",
            "playlist_updated" => $"{actor} changed playlist {id} ({Words(Text(payload, "action") ?? "update")})",
            "playlist_deleted" => $"{actor} deleted playlist {id}",
            "playlist_shared" => $"{actor} made share link {Text(payload, "share", "id")} for playlist {id}",
            "playlist_share_revoked" => $"{actor} revoked share link {Text(payload, "shareId")} of playlist {id}",
            "user_signed_in" => $"{Text(payload, "email") ?? subject} signed in{from}",
            SecurityEvents.SignInFailed => $"Failed sign-in for {Text(payload, "email") ?? "an unknown account"}{from} ({Words(Text(payload, "reason") ?? "refused")})",
            "session_refreshed" => $"{subject} refreshed session {Text(payload, "sessionId")}{from}",
            "session_revoked" => $"Session {Text(payload, "sessionId")} of {subject} ended: a used refresh token was presented again{from}",
            "user_signed_out" => $"{subject} signed out{from}",
            "user_created" => $"{actor} created user {Text(payload, "user", "email") ?? subject}",
            "user_updated" => $"{actor} changed {Fields(SentFields(changes))} of {subject}",
            "user_disabled" => $"{actor} disabled {subject}",
            "user_password_changed" => $"{actor} set a new password for {subject}",
            SecurityEvents.RateLimited => $"Rate limit {Text(payload, "policy")} refused {Text(payload, "method")} {Text(payload, "path")}{from}",
            _ => $"{actor}: {Words(row.Type)} ({row.EntityType} {id})",
        };
    }
}
