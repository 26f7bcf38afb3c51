using Montu.Server.Features.Annotations;
using Montu.Server.Features.Media;

namespace Montu.Server.Features.Notifications;

/// <summary>
/// What a new note means for people: <c>mention</c> for the users it mentions, then
/// <c>annotation_created</c> for the version's author, its task's artist and, for a reply, the
/// authors of the note it answers and of the thread's first note. A mentioned author is told once,
/// as mentioned.
/// </summary>
public static class AnnotationNotices
{
    private const int Excerpt = 140;

    public static IReadOnlyList<Notice> Created(AnnotationRow note, MediaRow version, string? artist, IReadOnlyList<string> mentioned, IReadOnlyList<string?> thread, string authorName)
    {
        var data = new Dictionary<string, object?>
        {
            ["annotationId"] = note.Id,
            ["mediaId"] = version.Id,
            ["projectId"] = version.ProjectId,
            ["taskId"] = version.TaskId,
            ["parentId"] = note.ParentId,
            ["frameNumber"] = note.FrameNumber,
        };
        var on = note.FrameNumber is { } frame ? $"{version.FileName}, frame {frame}" : version.FileName;
        var content = note.Content.Length > Excerpt ? note.Content[..Excerpt] + "…" : note.Content;
        return
        [
            new Notice(NotificationRules.Mention, [.. mentioned], "You Were Mentioned", $"{authorName} mentioned you on {on}: {content}", data)
            {
                Priority = NotificationRules.High,
                Subject = note.Id,
            },
            new Notice(NotificationRules.AnnotationCreated, [version.Author, artist, .. thread],
                note.ParentId is null ? "New Note" : "New Reply", $"{authorName} {(note.ParentId is null ? "noted" : "replied")} on {on}: {content}", data)
            {
                Subject = note.Id,
            },
        ];
    }
}
