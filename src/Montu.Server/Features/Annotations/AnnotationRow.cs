using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Annotations;

/// <summary>An annotation row as stored; <see cref="ToItem"/> gives its wire shape.</summary>
public class AnnotationRow
{
    public string Id { get; set; } = "";

    public string ProjectId { get; set; } = "";

    public string MediaId { get; set; } = "";

    public string? TaskId { get; set; }

    public string? ParentId { get; set; }

    public string Author { get; set; } = "";

    public string AnnotationType { get; set; } = "";

    public string Content { get; set; } = "";

    public long? FrameNumber { get; set; }

    public long FirstFrame { get; set; }

    public string? FrameRate { get; set; }

    public string? Position { get; set; }

    public string? Drawing { get; set; }

    public string Mentions { get; set; } = "[]";

    public string Status { get; set; } = AnnotationRules.Active;

    public string? ResolvedBy { get; set; }

    public DateTime? ResolvedAt { get; set; }

    public int ReplyCount { get; set; }

    public int Revision { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<string> MentionList => StorageJson.Read<List<string>>(Mentions);

    public AnnotationItem ToItem() => new(
        Id,
        MediaId,
        ProjectId,
        TaskId,
        AnnotationType,
        Content,
        Author,
        FrameNumber,
        AnnotationFrames.TimestampOf(FrameNumber, FirstFrame, FrameRate),
        Position is null ? null : StorageJson.Read<AnnotationPosition>(Position),
        Drawing is null ? null : StorageJson.Read<AnnotationDrawing>(Drawing),
        ParentId,
        ReplyCount,
        MentionList,
        Status,
        ResolvedBy,
        ResolvedAt is { } resolved ? DateTime.SpecifyKind(resolved, DateTimeKind.Utc) : null,
        Revision,
        DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc),
        DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
}

/// <summary>A row of the notes export: the annotation with its media's name, version and metadata, and its author's email or guest name.</summary>
public sealed class ExportedAnnotation : AnnotationRow
{
    public string MediaFileName { get; set; } = "";

    public string? MediaVersion { get; set; }

    public string MediaMetadata { get; set; } = "{}";

    public string? AuthorEmail { get; set; }

    /// <summary>The guest's name when a share link wrote the note (its author is the link's id).</summary>
    public string? GuestName { get; set; }

    /// <summary>In a playlist's notes, the 1-based position of the item showing the media.</summary>
    public int? Item { get; set; }
}
