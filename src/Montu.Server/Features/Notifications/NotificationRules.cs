using System.Globalization;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Notifications;

/// <summary>The types, priorities and limits of notifications (docs/decisions/0038).</summary>
public static class NotificationRules
{
    public const string TaskAssigned = "task_assigned";
    public const string TaskUpdated = "task_updated";
    public const string MediaReviewed = "media_reviewed";
    public const string AnnotationCreated = "annotation_created";
    public const string Mention = "mention";
    public const string DeadlineApproaching = "deadline_approaching";
    public const string ImportFinished = "import_finished";

    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string Urgent = "urgent";

    public static readonly IReadOnlyList<string> Priorities = [Low, Medium, High, Urgent];

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(30);

    public const int TypeLength = 64;
    public const int TitleLength = 200;
    public const int MessageLength = 2000;
    public const int MaxRecipients = 500;
    public const int MaxMuted = 100;

    /// <summary>A type is a snake_case name, like the automatic ones.</summary>
    public static bool IsTypeName(string type) =>
        type.Length is > 0 and <= TypeLength && type[0] is >= 'a' and <= 'z' && type.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_');

    /// <summary>A status or task type in words for a message: <c>in_progress</c> is "In Progress".</summary>
    public static string Words(string? name) => string.IsNullOrWhiteSpace(name)
        ? "none"
        : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.Replace('_', ' ').Trim());

    public static ApiError NotFound(string id) => ApiError.NotFound($"Notification {Quote.Of(id)} not found");
}
