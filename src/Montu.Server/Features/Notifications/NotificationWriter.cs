using System.Data.Common;
using System.Text.Json;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;
using Montu.Server.Features.TaskWorkflow;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Notifications;

/// <summary>Notifications to write and their <c>notification_created</c> events, all in one transaction.</summary>
public sealed record PreparedNotifications(SqlStatement Insert, IReadOnlyList<NewEvent> Events);

/// <summary>
/// Turns what a change means for people (<see cref="NewEvent.Notices"/>) into notifications, in
/// the change's transaction (docs/decisions/0038). One user gets one notification per subject of a
/// change (<see cref="Notice.Subject"/>). The user who made the change, users who cannot read its
/// project and users who muted the type or the project get none.
/// </summary>
public sealed class NotificationWriter(NotificationQueries queries, TaskBlocking blocking, IdGenerator ids, TimeProvider time)
{
    public const string EntityType = "notification";
    public const string CreatedEvent = "notification_created";

    public async Task<PreparedNotifications?> PrepareAsync(DbTransaction tx, NewEvent change, CancellationToken ct)
    {
        // Whoever moved a status, the tasks it unblocks are told here, so no writer can forget them.
        var notices = change.StatusMoves.Count == 0 || change.ProjectId is null
            ? change.Notices
            : [.. change.Notices, .. await blocking.NoticesAsync(tx, change.ProjectId, change.StatusMoves, ct)];
        return notices.Count == 0 ? null : await PrepareAsync(tx, notices, change.ProjectId, change.UserId, ct);
    }

    /// <summary>The notifications <paramref name="notices"/> come to, about <paramref name="projectId"/>, for a change <paramref name="actor"/> made.</summary>
    public async Task<PreparedNotifications?> PrepareAsync(DbTransaction tx, IReadOnlyList<Notice> notices, string? projectId, string? actor, CancellationToken ct)
    {
        var names = notices.SelectMany(n => n.To).Select(Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (names.Count == 0)
        {
            return null;
        }

        var users = await queries.RecipientsAsync(tx, names, projectId, ct);
        var now = TaskChanges.Stored(time.GetUtcNow().UtcDateTime);
        var told = new HashSet<(string, string)>();
        var rows = new List<NotificationRow>();
        foreach (var notice in notices)
        {
            var named = notice.To.Select(Name).OfType<string>().ToList();
            foreach (var user in users.Where(u => named.Any(u.IsNamed)))
            {
                if ((notice.EvenToActor || user.Id != actor) && !user.HasMuted(notice.Type, projectId) && told.Add((user.Id, notice.Subject ?? notice.Type)))
                {
                    rows.Add(Row(user.Id, notice.Type, notice.Title, notice.Message, JsonSerializer.Serialize(notice.Data, WireJson.Default),
                        notice.Priority, projectId, now, now + NotificationRules.DefaultLifetime));
                }
            }
        }

        return rows.Count == 0 ? null : Prepare(rows, actor);
    }

    /// <summary>A new notification, unread.</summary>
    public NotificationRow Row(string userId, string type, string title, string message, string data, string priority, string? projectId, DateTime now, DateTime expiresAt) => new()
    {
        Id = ids.NewId("notif"),
        UserId = userId,
        Type = type,
        Title = title,
        Message = message,
        Data = data,
        Priority = priority,
        ProjectId = projectId,
        CreatedAt = now,
        ExpiresAt = expiresAt,
    };

    public PreparedNotifications Prepare(IReadOnlyList<NotificationRow> rows, string? actor) =>
        new(queries.Insert(rows), rows.Select(r => Event(CreatedEvent, r.Id, r.ToNotification(), actor)).ToList());

    /// <summary>
    /// An event of one user's notification channel, which delivers it by <c>notification.userId</c>. It
    /// has no project: the project channels carry every event of their project to all its members,
    /// and this one is for its user alone.
    /// </summary>
    public static NewEvent Event(string type, string entityId, object notification, string? actor) =>
        new(type, null, EntityType, entityId, new { notification }, actor);

    private static string? Name(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim().ToLowerInvariant();
}
