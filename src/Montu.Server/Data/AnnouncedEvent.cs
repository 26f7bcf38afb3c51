namespace Montu.Server.Data;

/// <summary>An event committed by some instance, as PostgreSQL's NOTIFY announced it (<see cref="PostgresEventListener"/>).</summary>
public sealed record AnnouncedEvent(long Seq, string? ProjectId, string Type, string EntityType, string EntityId);

/// <summary>
/// Something kept in this process's memory that another instance's change can make stale. The
/// listener hands it every announced event, and says when announcements may have been missed.
/// </summary>
public interface IAnnouncedEventHandler
{
    void Handle(AnnouncedEvent announced);

    /// <summary>The listener has (re)connected: events committed while it was not listening were never announced here.</summary>
    void AnnouncementsMissed();
}
