using System.Text.Json;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.OpenApi;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// The field merge of a task update (<c>Montu-Merge: fields</c> with <c>If-Match: "&lt;base&gt;"</c>),
/// for offline clients replaying edits made on an older copy: the fields it sends are applied
/// unless another writer changed one of them since the base to a value other than the one sent.
/// Custom fields are merged one key at a time (<c>customFields.note</c>).
/// </summary>
public static class TaskMerge
{
    public const string Header = "Montu-Merge";
    public const string Fields = "fields";

    private static readonly JsonElement Null = JsonSerializer.SerializeToElement<object?>(null);

    /// <summary>Documents the header and the 409 of a merge on the route.</summary>
    public static RouteHandlerBuilder MergesFields(this RouteHandlerBuilder builder) => builder
        .ReadsHeaders(required: false, ApiHeader.Fixed(Header,
            "fields: with If-Match: \"<base revision>\", apply the fields sent that nobody changed since that revision; " +
            "409 MERGE_CONFLICT lists each field another writer changed, with its base, server and client values, and nothing is applied",
            Fields))
        .ProducesErrors(StatusCodes.Status409Conflict);

    /// <summary>Whether the request asks for a field merge; or 400 when its headers cannot make one.</summary>
    public static (bool Merge, ApiError? Error) Read(HttpRequest request, IfMatch ifMatch)
    {
        var sent = request.Headers[Header];
        if (sent.Count == 0)
        {
            return (false, null);
        }

        if (sent is not [Fields])
        {
            return (false, ApiError.Validation(new FieldError(Header, $"{Header} must be '{Fields}'", ErrorCodes.InvalidValue)));
        }

        return ifMatch.BaseRevision is null
            ? (false, ApiError.Validation(new FieldError(IfMatch.Header, $"{Header}: {Fields} needs If-Match with the one revision the edit is based on, such as \"3\"", ErrorCodes.RequiredField)))
            : (true, null);
    }

    /// <summary>
    /// The fields the request sets that another writer changed since the base (whose values
    /// <paramref name="baseValues"/> gives), each with its value at the base, now, and as the
    /// request would set it. A field the request leaves as it now is never conflicts.
    /// </summary>
    public static IReadOnlyList<FieldError> Conflicts(
        TaskItem current, TaskItem patched, TaskInput input, int baseRevision, IReadOnlyDictionary<string, JsonElement> baseValues)
    {
        var (now, after) = (WireFields(current), WireFields(patched));
        var conflicts = new List<FieldError>();
        var sent = input.Fields.Select(f => f.Key).Concat(input.Custom.Keys.Select(k => $"{TaskFields.CustomFields}.{k}"));
        foreach (var field in sent)
        {
            var (server, client) = (Value(now, field), Value(after, field));
            var atBase = baseValues.ContainsKey(Top(field)) ? Value(baseValues, field) : server;
            if (!JsonElement.DeepEquals(server, client) && !JsonElement.DeepEquals(atBase, server))
            {
                conflicts.Add(new FieldError(field, $"Changed by another writer since revision {baseRevision}", ErrorCodes.MergeConflict)
                {
                    Base = atBase,
                    Server = server,
                    Client = client,
                });
            }
        }

        return conflicts;
    }

    /// <summary>409 listing the conflicts: nothing was applied.</summary>
    public static ApiError Conflict(string taskId, IReadOnlyList<FieldError> conflicts) => new(StatusCodes.Status409Conflict,
        $"Task {Quote.Of(taskId)} was changed since your base revision in {conflicts.Count} of the fields you send; nothing was applied", conflicts);

    /// <summary>412: the log no longer tells what changed since the base (or it is no revision the task had).</summary>
    public static ApiError BaseUnknown(TaskItem current, int baseRevision) => new(StatusCodes.Status412PreconditionFailed,
        $"Task {Quote.Of(current.Id)} cannot be merged from revision {baseRevision}: it is at revision {current.Revision} and the changes since are no longer all known; read it again and reapply your change",
        [new FieldError(IfMatch.Header, $"The current revision is {current.Revision}", ErrorCodes.StaleRevision) { Revision = current.Revision }]);

    private static string Top(string field) => field.Split('.', 2)[0];

    private static Dictionary<string, JsonElement> WireFields(TaskItem task) =>
        JsonSerializer.SerializeToElement(task, WireJson.Default).EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    private static JsonElement Value(IReadOnlyDictionary<string, JsonElement> fields, string field)
    {
        var parts = field.Split('.', 2);
        if (!fields.TryGetValue(parts[0], out var value))
        {
            return Null;
        }

        return parts.Length == 1 ? value : value.ValueKind == JsonValueKind.Object && value.TryGetProperty(parts[1], out var custom) ? custom : Null;
    }
}
