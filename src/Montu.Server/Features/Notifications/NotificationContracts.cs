using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.Notifications;

/// <summary>Something a user is told about: made by the server when a change concerns them, or sent by a manager.</summary>
public sealed record Notification(
    string Id,
    [property: Description("Whose notification this is")] string UserId,
    [property: Description("task_assigned, task_updated, media_reviewed, annotation_created, mention, deadline_approaching, import_finished, or a sender's own snake_case name")] string Type,
    string Title,
    string Message,
    [property: Description("What it is about: ids such as taskId, mediaId, annotationId, projectId, and the values that changed")] JsonElement Data,
    bool IsRead,
    [property: Description("low, medium, high or urgent")] string Priority,
    DateTime CreatedAt,
    [property: Description("When it is removed; it is never listed after that")] DateTime ExpiresAt);

/// <summary>Body of <c>POST /notifications</c>: <c>userId</c> or <c>userIds</c>, not both.</summary>
public sealed record SendNotificationRequest
{
    [MaxLength(InputLimits.OpaqueValueLength)]
    public string? UserId { get; init; }

    [MaxLength(NotificationRules.MaxRecipients), ItemMaxLength(InputLimits.OpaqueValueLength)]
    public IReadOnlyList<string?>? UserIds { get; init; }

    [Description("A snake_case name, such as review_session or task_updated"), MaxLength(NotificationRules.TypeLength)]
    public string? Type { get; init; }

    [MaxLength(NotificationRules.TitleLength)]
    public string? Title { get; init; }

    [MaxLength(NotificationRules.MessageLength)]
    public string? Message { get; init; }

    [Description("A JSON object; projectId names the project, and is required unless a server admin sends")]
    public JsonElement? Data { get; init; }

    [Description("low, medium (default), high or urgent"), MaxLength(InputLimits.WordLength)]
    public string? Priority { get; init; }

    [Description("When it is removed; in the future, at most a year ahead (default: 30 days)")]
    public DateTime? ExpiresAt { get; init; }
}

/// <summary>Body of <c>PUT</c>/<c>PATCH /notifications/{id}</c>.</summary>
public sealed record UpdateNotificationRequest
{
    [Description("Read (true) or unread (false)")]
    public bool? IsRead { get; init; }
}

/// <summary>What <c>POST /notifications</c> made: one notification per recipient.</summary>
public sealed record SentNotifications(IReadOnlyList<Notification> Items);

/// <summary>How many notifications <c>POST /notifications/read-all</c> marked read.</summary>
public sealed record ReadAllResult([property: Description("Notifications that were unread and are read now")] int Count);

/// <summary>The caller's notifications counted; keys of the maps are types and priorities as stored.</summary>
public sealed record NotificationStats(
    long Total,
    long Unread,
    IReadOnlyDictionary<string, long> ByType,
    IReadOnlyDictionary<string, long> UnreadByType,
    IReadOnlyDictionary<string, long> ByPriority);

/// <summary>Which notifications a user does not want: none of these is created for them.</summary>
public sealed record NotificationPreferences(
    [property: Description("Types never created for you")] IReadOnlyList<string> Muted,
    [property: Description("Projects whose notifications are never created for you")] IReadOnlyList<string> MutedProjects);

/// <summary>Body of <c>PUT /users/me/notification-preferences</c>: both lists replace what was set; one left out is emptied.</summary>
public sealed record NotificationPreferencesRequest
{
    [MaxLength(NotificationRules.MaxMuted), ItemMaxLength(NotificationRules.TypeLength)]
    public IReadOnlyList<string?>? Muted { get; init; }

    [MaxLength(NotificationRules.MaxMuted), ItemMaxLength(InputLimits.ProjectIdLength)]
    public IReadOnlyList<string?>? MutedProjects { get; init; }
}

/// <summary>The filters a notification list was computed with; filters not given are left out.</summary>
public sealed record NotificationFilters
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsRead { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Priority { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProjectId { get; init; }
}
