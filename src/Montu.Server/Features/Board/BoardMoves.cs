using System.Data.Common;
using System.Text.Json;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Board;

/// <summary>
/// <c>POST /tasks/{id}/move</c>: a PATCH of status and artist (<see cref="TaskWriter.MoveAsync"/>)
/// and a new board key for the task alone, between the keys of the tasks it goes between.
/// </summary>
public sealed class BoardMoves(TaskWriter writer, BoardQueries board, EventLog events, TimeProvider time)
{
    public const string MovedEvent = "task_moved";

    private static readonly string[] Fields = ["status", "artist", "before", "after"];

    public async Task<TaskOutcome> MoveAsync(string id, JsonElement body, TaskGuard guard, IfMatch ifMatch, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var (fields, before, after) = Read(body, id, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        return await writer.MoveAsync(id, fields, guard, ifMatch, async (tx, task, changed) =>
        {
            var placed = await PlaceAsync(tx, task, before, after, ct);
            if (placed.Error is { } error)
            {
                return error;
            }

            await board.SetAsync(tx, task.Id, placed.Rank!, ct);
            if (!changed)
            {
                // Nothing a client sees of the task changed, so neither did its revision; the event
                // tells the project's other boards to reload.
                await events.AppendAsync(tx, new NewEvent(MovedEvent, task.ProjectId, "task", task.Id,
                    new { taskId = task.Id, before, after, revision = task.Revision }, guard.UserId), ct);
            }

            return null;
        }, ct);
    }

    /// <summary>The new key of <paramref name="task"/>, once more after spacing the project's keys out when the gap has none left.</summary>
    private async Task<(string? Rank, ApiError? Error)> PlaceAsync(DbTransaction tx, TaskItem task, string? before, string? after, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (low, high, error) = await BoundsAsync(tx, task, before, after, ct);
            if (error is not null)
            {
                return (null, error);
            }

            // At the end of the board, the key of a task created now when it is later than the
            // last one: keys then stay below those of tasks created later, which still come last.
            var now = BoardRank.ForCreation(time.GetUtcNow().UtcDateTime);
            if (high is null && (low is null || string.CompareOrdinal(now, low) > 0))
            {
                return (now, null);
            }

            if (BoardRank.Between(low, high) is { Length: <= BoardRank.MaxLength } rank)
            {
                return (rank, null);
            }

            if (attempt > 0)
            {
                throw new InvalidOperationException($"No board key between '{low}' and '{high}' after respacing project '{task.ProjectId}'");
            }

            await board.RespaceAsync(tx, task.ProjectId, ct);
        }
    }

    /// <summary>The keys the new one must fall strictly between (null: no bound).</summary>
    private async Task<(string? Low, string? High, ApiError? Error)> BoundsAsync(DbTransaction tx, TaskItem task, string? before, string? after, CancellationToken ct)
    {
        var named = new[] { before, after }.OfType<string>().ToList();
        var ranks = named.Count == 0 ? [] : await board.RanksAsync(tx, named, ct);
        var problems = new ValidationProblems();
        RankedTask? Neighbour(string field, string? neighbourId)
        {
            if (neighbourId is null)
            {
                return null;
            }

            if (!ranks.TryGetValue(neighbourId, out var found) || found.ProjectId != task.ProjectId)
            {
                problems.Add(field, $"{Quote.Of(neighbourId)} is not a task of project {Quote.Of(task.ProjectId)}");
            }

            return found;
        }

        var next = Neighbour("before", before);
        var previous = Neighbour("after", after);
        if (problems.Any)
        {
            return (null, null, problems.ToError());
        }

        return (previous, next) switch
        {
            (not null, not null) when !Precedes(previous, next) => (null, null, ApiError.Conflict(
                $"Task {Quote.Of(after)} comes after {Quote.Of(before)} on the board, so nothing fits between them; reload the board and move again")),
            (not null, not null) => (previous.BoardRank, next.BoardRank, null),
            (not null, null) => (previous.BoardRank, await board.NeighbourAsync(tx, previous, task.Id, previous: false, ct), null),
            (null, not null) => (await board.NeighbourAsync(tx, next, task.Id, previous: true, ct), next.BoardRank, null),
            _ => (await board.LastAsync(tx, task.ProjectId, task.Id, ct), null, null),
        };
    }

    private static bool Precedes(RankedTask a, RankedTask b) =>
        string.CompareOrdinal(a.BoardRank, b.BoardRank) is var order && (order < 0 || (order == 0 && string.CompareOrdinal(a.Id, b.Id) < 0));

    /// <summary>The PATCH fields of the body (status, artist) and the neighbours it names.</summary>
    private static (JsonElement Fields, string? Before, string? After) Read(JsonElement body, string id, ValidationProblems problems)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            problems.Add("body", "The body must be a JSON object", ErrorCodes.InvalidType);
            return (default, null, null);
        }

        if (JsonText.FindUnstorable(body, "") is { } unstorable)
        {
            problems.Add(unstorable);
            return (default, null, null);
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        string? before = null, after = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "status" or "artist":
                    fields[property.Name] = property.Value;
                    break;
                case "before":
                    before = TaskId(property, id, problems);
                    break;
                case "after":
                    after = TaskId(property, id, problems);
                    break;
                default:
                    problems.Add(Quote.Name(property.Name), $"Unknown field {Quote.Of(property.Name)}; a move takes {string.Join(", ", Fields)}{Spelling.Hint(Spelling.Nearest(property.Name, Fields))}", ErrorCodes.UnknownField);
                    break;
            }
        }

        if (before is not null && before == after)
        {
            problems.Add("before", "before and after name the same task; name the two tasks the moved one goes between");
        }

        return (JsonSerializer.SerializeToElement(fields), before, after);
    }

    private static string? TaskId(JsonProperty property, string id, ValidationProblems problems)
    {
        if (property.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (property.Value.ValueKind != JsonValueKind.String)
        {
            problems.Add(property.Name, $"'{property.Name}' must be a task id (a string) or null", ErrorCodes.InvalidType);
            return null;
        }

        var value = property.Value.GetString()!;
        problems.MaxLength(property.Name, value, InputLimits.TaskIdLength);
        if (value == id)
        {
            problems.Add(property.Name, "A task cannot be placed next to itself");
        }

        return value;
    }
}
