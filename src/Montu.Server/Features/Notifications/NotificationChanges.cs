using System.Text.Json;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Notifications;

/// <summary>The result of a change to one notification: it, or why not.</summary>
public sealed record NotificationOutcome(Notification? Notification, ApiError? Error)
{
    public static implicit operator NotificationOutcome(Notification notification) => new(notification, null);

    public static implicit operator NotificationOutcome(ApiError error) => new(null, error);
}

/// <summary>
/// What users do with notifications: send (server admins to anyone, project managers to their
/// project's members), mark read, delete, set preferences. Each change is one transaction with its
/// event on the owner's notification channel.
/// </summary>
public sealed class NotificationChanges(Db db, NotificationQueries queries, NotificationWriter writer, EventLog events, TimeProvider time)
{
    public const string UpdatedEvent = "notification_updated";
    public const string DeletedEvent = "notification_deleted";
    public const string ReadAllEvent = "notifications_read";
    public const string PreferencesEvent = "notification_preferences_updated";

    private static readonly TimeSpan LongestLifetime = TimeSpan.FromDays(365);

    private DateTime Now => TaskChanges.Stored(time.GetUtcNow().UtcDateTime);

    public async Task<(SentNotifications? Sent, ApiError? Error)> SendAsync(SendNotificationRequest request, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var now = Now;
        var userIds = Recipients(request, problems);
        var type = request.Type?.Trim();
        if (string.IsNullOrEmpty(type))
        {
            problems.Required("type");
        }
        else if (!NotificationRules.IsTypeName(type))
        {
            problems.Add("type", $"A type is a snake_case name of at most {NotificationRules.TypeLength} characters, such as review_session");
        }

        Text("title", request.Title, NotificationRules.TitleLength, problems);
        Text("message", request.Message, NotificationRules.MessageLength, problems);
        var priority = request.Priority ?? NotificationRules.Medium;
        if (!NotificationRules.Priorities.Contains(priority))
        {
            problems.Add("priority", $"Priority is one of {string.Join(", ", NotificationRules.Priorities)}");
        }

        if (request.Data is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            problems.Add("data", "Data is a JSON object");
        }
        else if (request.Data is { } sentData && JsonText.FindUnstorable(sentData, "data") is { } notText)
        {
            problems.Add(notText);
        }

        var projectId = request.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("projectId", out var sent)
            ? sent.ValueKind switch { JsonValueKind.String => sent.GetString(), JsonValueKind.Null => null, _ => Invalid(problems) }
            : null;
        if (request.ExpiresAt is { } expires && (expires.ToUniversalTime() <= now || expires.ToUniversalTime() > now + LongestLifetime))
        {
            problems.Add("expiresAt", "An expiry is in the future, at most a year ahead");
        }

        if (problems.Any)
        {
            return (null, problems.ToError());
        }

        if (MaySend(caller, projectId) is { } refused)
        {
            return (null, refused);
        }

        return await db.InTransactionAsync<(SentNotifications?, ApiError?)>(async tx =>
        {
            var users = await queries.UsersAsync(tx, userIds, ct);
            var outsiders = projectId is null || caller.IsServerAdmin ? [] : userIds.Except(await queries.MembersAsync(tx, projectId, userIds, ct)).ToList();
            foreach (var (id, index) in userIds.Select((id, i) => (id, i)))
            {
                if (!users.Any(u => u.Id == id))
                {
                    problems.Add(request.UserId is null ? $"userIds[{index}]" : "userId", $"No user {Quote.Of(id)}");
                }
                else if (outsiders.Contains(id))
                {
                    problems.Add(request.UserId is null ? $"userIds[{index}]" : "userId", $"User {Quote.Of(id)} is not a member of project {Quote.Of(projectId!)}");
                }
            }

            if (problems.Any)
            {
                return (null, ApiError.BusinessRule("Notifications go to existing users; a project manager sends to the project's members", [.. problems.Errors]));
            }

            var expiresAt = request.ExpiresAt is { } at ? TaskChanges.Stored(at.ToUniversalTime()) : now + NotificationRules.DefaultLifetime;
            var payload = request.Data is { ValueKind: JsonValueKind.Object } body ? body.GetRawText() : "{}";
            var rows = users.Where(u => !u.HasMuted(type!, projectId))
                .Select(u => writer.Row(u.Id, type!, request.Title!.Trim(), request.Message!.Trim(), payload, priority, projectId, now, expiresAt))
                .ToList();
            if (rows.Count > 0)
            {
                var prepared = writer.Prepare(rows, caller.UserId);
                await events.AppendAllAsync(tx, [prepared.Insert], prepared.Events, ct);
            }

            return (new SentNotifications(rows.Select(r => r.ToNotification()).ToList()), null);
        }, ct);
    }

    public async Task<NotificationOutcome> MarkAsync(string id, UpdateNotificationRequest request, Caller caller, CancellationToken ct)
    {
        if (request.IsRead is not { } isRead)
        {
            return ApiError.Validation(new FieldError("isRead", "Field 'isRead' is required", ErrorCodes.RequiredField));
        }

        return await db.InTransactionAsync<NotificationOutcome>(async tx =>
        {
            if (await queries.FindAsync(tx, id, caller.UserId, Now, ct) is not { } row)
            {
                return NotificationRules.NotFound(id);
            }

            if (row.IsRead == isRead)
            {
                return row.ToNotification();
            }

            row.IsRead = isRead;
            var notification = row.ToNotification();
            await events.AppendAsync(tx, NotificationQueries.MarkRead(id, isRead), NotificationWriter.Event(UpdatedEvent, id, notification, caller.UserId), ct);
            return notification;
        }, ct);
    }

    public async Task<ApiError?> DeleteAsync(string id, Caller caller, CancellationToken ct) =>
        await db.InTransactionAsync(async tx =>
        {
            if (await queries.FindAsync(tx, id, caller.UserId, Now, ct) is not { } row)
            {
                return NotificationRules.NotFound(id);
            }

            await events.AppendAsync(tx, NotificationQueries.Delete(id),
                NotificationWriter.Event(DeletedEvent, id, new { row.Id, row.UserId }, caller.UserId), ct);
            return null;
        }, ct);

    public async Task<ReadAllResult> ReadAllAsync(string? type, string? projectId, Caller caller, CancellationToken ct) =>
        await db.InTransactionAsync(async tx =>
        {
            var count = await queries.MarkAllReadAsync(tx, caller.UserId, type, projectId, Now, ct);
            if (count > 0)
            {
                await events.AppendAsync(tx, NotificationWriter.Event(ReadAllEvent, caller.UserId,
                    new { caller.UserId, type, projectId, count }, caller.UserId), ct);
            }

            return new ReadAllResult(count);
        }, ct);

    public async Task<(NotificationPreferences? Saved, ApiError? Error)> SavePreferencesAsync(NotificationPreferencesRequest request, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var muted = Names("muted", request.Muted, NotificationRules.IsTypeName, "a snake_case notification type", problems);
        var mutedProjects = Names("mutedProjects", request.MutedProjects, p => p.Length <= InputLimits.ProjectIdLength, "a project id", problems);
        if (problems.Any)
        {
            return (null, problems.ToError());
        }

        var preferences = new NotificationPreferences(muted, mutedProjects);
        await db.InTransactionAsync(tx => events.AppendAsync(tx, queries.SavePreferences(caller.UserId, preferences, Now),
            NotificationWriter.Event(PreferencesEvent, caller.UserId, new { caller.UserId, preferences.Muted, preferences.MutedProjects }, caller.UserId), ct), ct);
        return (preferences, null);
    }

    /// <summary>Server admins send to anyone; otherwise managers of the project named in <c>data.projectId</c> to its members.</summary>
    private static ApiError? MaySend(Caller caller, string? projectId) =>
        caller.IsServerAdmin ? null
        : projectId is null ? ApiError.Forbidden("Only server admins send notifications without a project; a project manager names theirs in data.projectId",
            new FieldError("data.projectId", "The project whose members you notify", ErrorCodes.RequiredField))
        : ProjectAccess.Check(caller, projectId, ProjectPermission.ManageMembers);

    private static List<string> Recipients(SendNotificationRequest request, ValidationProblems problems)
    {
        if ((request.UserId is null) == (request.UserIds is null))
        {
            problems.Add("userIds", "Send userId or userIds (not both)", ErrorCodes.RequiredField);
            return [];
        }

        var sent = request.UserIds ?? [request.UserId];
        if (sent.Count is 0 or > NotificationRules.MaxRecipients)
        {
            problems.Add("userIds", $"Name 1 to {NotificationRules.MaxRecipients} users");
            return [];
        }

        for (var i = 0; i < sent.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(sent[i]) || sent[i]!.Length > InputLimits.OpaqueValueLength)
            {
                problems.Add(request.UserId is null ? $"userIds[{i}]" : "userId", $"A user id is a non-empty string of at most {InputLimits.OpaqueValueLength} characters");
            }
        }

        return sent.OfType<string>().Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    private static void Text(string field, string? value, int maxLength, ValidationProblems problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Required(field);
        }
        else
        {
            problems.MaxLength(field, value, maxLength);
        }
    }

    private static string? Invalid(ValidationProblems problems)
    {
        problems.Add("data.projectId", "A project id is a string");
        return null;
    }

    private static List<string> Names(string field, IReadOnlyList<string?>? sent, Func<string, bool> valid, string what, ValidationProblems problems)
    {
        var names = new List<string>();
        if (sent?.Count > NotificationRules.MaxMuted)
        {
            problems.Add(field, $"At most {NotificationRules.MaxMuted} entries");
            return names;
        }

        for (var i = 0; i < (sent?.Count ?? 0); i++)
        {
            if (sent![i]?.Trim() is not { Length: > 0 } name || !valid(name))
            {
                problems.Add($"{field}[{i}]", $"Each entry is {what}");
            }
            else if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }
}
