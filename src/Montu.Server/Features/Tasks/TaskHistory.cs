using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// What a task's fields held at an earlier revision, read back from the event log: each task event
/// names the revision it made, the fields it changed and what they held before
/// (<see cref="TaskEvents"/>). Events written before revisions were counted name none; they all
/// come before revision 1, which every task got when counting began, so they are skipped.
/// </summary>
public static class TaskHistory
{
    /// <summary>
    /// The value each field changed since <paramref name="baseRevision"/> held then, by wire name;
    /// fields not listed are as they were. Null when the log cannot tell: the revision is not one
    /// the task has had, or an event since then is no longer kept.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, JsonElement>?> BaseValuesAsync(
        DbTransaction transaction, TaskItem task, int baseRevision, CancellationToken ct)
    {
        if (baseRevision >= task.Revision)
        {
            return null;
        }

        var rows = await transaction.Connection!.QueryAsync<(string Type, string Payload)>(new CommandDefinition("""
            SELECT type, CAST(payload AS TEXT) FROM events
            WHERE (entity_type = 'task' AND entity_id = @taskId) OR (entity_type = 'tasks' AND entity_id = @projectId)
            ORDER BY seq
            """, new { taskId = task.Id, projectId = task.ProjectId }, transaction, cancellationToken: ct));
        var steps = new SortedDictionary<int, (JsonElement Changes, JsonElement Previous)>();
        foreach (var (type, payload) in rows)
        {
            if (Step(type, JsonSerializer.Deserialize<JsonElement>(payload), task.Id) is { } step && step.Revision > baseRevision)
            {
                steps[step.Revision] = (step.Changes, step.Previous);
            }
        }

        // Every revision after the base, each once: a gap means events were pruned.
        if (steps.Count != task.Revision - baseRevision || steps.Keys.Any(r => r > task.Revision))
        {
            return null;
        }

        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (changes, previous) in steps.Values)
        {
            foreach (var field in changes.EnumerateObject().Select(c => c.Name).Where(f => !values.ContainsKey(f)))
            {
                if (!previous.TryGetProperty(field, out var value))
                {
                    return null;
                }

                values[field] = value;
            }
        }

        return values;
    }

    /// <summary>The revision an event made to the task, with its changes and previous values; null for events that name no revision.</summary>
    private static (int Revision, JsonElement Changes, JsonElement Previous)? Step(string type, JsonElement payload, string taskId)
    {
        if (type == TaskEvents.BulkUpdated)
        {
            return payload.TryGetProperty("revisions", out var revisions) && revisions.TryGetProperty(taskId, out var revision)
                ? (revision.GetInt32(), payload.GetProperty("changes").GetProperty(taskId), payload.GetProperty("previous").GetProperty(taskId))
                : null;
        }

        return type is TaskEvents.Updated or TaskEvents.Archived or TaskEvents.Restored && payload.TryGetProperty("revision", out var made)
            ? (made.GetInt32(), payload.GetProperty("changes"), payload.GetProperty("previous"))
            : null;
    }
}
