namespace Montu.Server.Features.Realtime;

/// <summary>The channels a client can subscribe to, by the first segment after <c>/ws/</c>.</summary>
public enum ChannelKind
{
    Tasks,
    Media,
    Annotations,
    Projects,
    Notifications,
    Review,
}

/// <summary>
/// What one socket's channel carries: the events of a project (all of them, or those of one kind
/// of entity), the annotation events of one media, one user's notifications, or what a live
/// review of one playlist needs (its project's annotation and media events and the playlist's
/// own; the session narrows them to the playlist's media). Whether the caller may still see them
/// is checked apart, at each delivery.
/// </summary>
public sealed record ChannelScope(ChannelKind Kind, string? ProjectId, string? MediaId = null, string? UserId = null, string? PlaylistId = null)
{
    /// <summary>The project whose events the log is read for; null when the channel spans projects (notifications).</summary>
    public string? LogProjectId => Kind == ChannelKind.Notifications ? null : ProjectId;

    public bool Carries(LoggedEvent logged)
    {
        var row = logged.Row;
        return Kind switch
        {
            ChannelKind.Tasks => row.ProjectId == ProjectId && row.EntityType is "task" or "tasks",
            ChannelKind.Media => row.ProjectId == ProjectId && row.EntityType == "media",
            ChannelKind.Annotations => row.EntityType == "annotation" && (MediaId is null ? row.ProjectId == ProjectId : logged.MediaId == MediaId),
            ChannelKind.Projects => row.ProjectId == ProjectId,
            ChannelKind.Notifications => row.EntityType == "notification" && logged.Recipient == UserId,
            ChannelKind.Review => row.ProjectId == ProjectId && (row.EntityType is "annotation" or "media" || (row.EntityType == "playlist" && row.EntityId == PlaylistId)),
            _ => false,
        };
    }
}
