namespace Montu.Server.Features.Notifications;

/// <summary>
/// What a change means for the people it concerns: a notification of <paramref name="Type"/> for each
/// user <paramref name="To"/> names, written with the change (<see cref="NotificationWriter"/>).
/// A name is matched as a task's <c>artist</c> is: a user id, an email, or the part of an email
/// before the <c>@</c>, in any case. Names that match no one, or someone who cannot read the
/// change's project, are passed over.
/// </summary>
public sealed record Notice(string Type, IReadOnlyList<string?> To, string Title, string Message, IReadOnlyDictionary<string, object?> Data)
{
    public string Priority { get; init; } = NotificationRules.Medium;

    /// <summary>
    /// What it is about, such as a task's or a note's id. A user gets one notification per subject
    /// of a change: from its first notice naming them, so a change lists its notices most telling
    /// first (a mention before a note on your media). Notices without one are told apart by type.
    /// </summary>
    public string? Subject { get; init; }

    /// <summary>
    /// Whether the user who made the change is told too: only a background job's report to the user
    /// who started it, which that user did not just watch happen.
    /// </summary>
    public bool EvenToActor { get; init; }
}
