using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.Annotations;

/// <summary>A review note on a media version: text, a frame, a drawing over the picture, and its thread.</summary>
public sealed record AnnotationItem(
    string Id,
    string MediaId,
    string ProjectId,
    [property: Description("The media version's task; null for project-level media")] string? TaskId,
    [property: Description("note, markup or approval")] string AnnotationType,
    string Content,
    [property: Description("The user who wrote it")] string Author,
    [property: Description("Numbered as the media's frames are (from its firstFrame, else 0); null for a note on the whole media")] long? FrameNumber,
    [property: Description("Seconds from the start to where the frame begins, from the media's exact frame rate, to the microsecond; null without a rate")] decimal? Timestamp,
    AnnotationPosition? Position,
    AnnotationDrawing? Drawing,
    [property: Description("The note this one replies to: always the thread's first note")] string? ParentId,
    [property: Description("Replies not archived")] int ReplyCount,
    [property: Description("User ids")] IReadOnlyList<string> Mentions,
    [property: Description("active, resolved or archived")] string Status,
    string? ResolvedBy,
    DateTime? ResolvedAt,
    [property: Description("Grows by one with every change to the note itself (a new reply does not move it); sent as the ETag")] int Revision,
    DateTime CreatedAt,
    DateTime UpdatedAt) : IRevisioned
{
    /// <summary>The thread under a note, oldest first; only in the answer for one note.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("The replies, oldest first (archived ones left out); only when one note is read")]
    public IReadOnlyList<AnnotationItem>? Replies { get; init; }
}

/// <summary>A box in the media's pixels (v2.0): within its width and height when they are known.</summary>
public sealed record AnnotationPosition
{
    [Range(0, InputLimits.MaxPixels)]
    public double? X { get; init; }

    [Range(0, InputLimits.MaxPixels)]
    public double? Y { get; init; }

    [Range(0, InputLimits.MaxPixels)]
    public double? Width { get; init; }

    [Range(0, InputLimits.MaxPixels)]
    public double? Height { get; init; }
}

/// <summary>What is drawn over the frame, in coordinates normalised to 0..1 so it fits a proxy of any size.</summary>
public sealed record AnnotationDrawing
{
    [Description("At most 500 shapes, with at most 10,000 points among them"), MaxLength(InputLimits.AnnotationShapes)]
    public List<AnnotationShape>? Shapes { get; init; }
}

/// <summary>One shape: a freehand stroke, an arrow (from its first point to its last), a rectangle or ellipse (two corners), or text (at its point).</summary>
public sealed record AnnotationShape
{
    [Description("stroke, arrow, rect, ellipse or text"), MaxLength(InputLimits.WordLength)]
    public string? Type { get; init; }

    [Description("[x, y] pairs, each from 0 to 1: a stroke or arrow needs 2 or more, a rect or ellipse 2, a text 1"),
     MaxLength(InputLimits.AnnotationPoints), NormalisedPoints]
    public List<List<double>>? Points { get; init; }

    [Description("#rrggbb"), RegularExpression(AnnotationRules.ColorPattern), MaxLength(7)]
    public string? Color { get; init; }

    [Description("Line width in pixels of the media"), Range(0.1, InputLimits.MaxLineWidth)]
    public double? Width { get; init; }

    [Description("The words of a text shape"), MaxLength(InputLimits.ShapeTextLength)]
    public string? Text { get; init; }
}

/// <summary>Body of <c>POST /annotations</c>.</summary>
public sealed record CreateAnnotationRequest
{
    [Description("The media version the note is on"), MaxLength(InputLimits.OpaqueValueLength)]
    public string? MediaId { get; init; }

    [Description("Accepted for v2.0 clients: must be the media's task when given"), MaxLength(InputLimits.TaskIdLength)]
    public string? TaskId { get; init; }

    [Description("note (default), markup or approval"), MaxLength(InputLimits.WordLength)]
    public string? AnnotationType { get; init; }

    [Description("The note's text; a note needs text, a drawing, or both"), MaxLength(InputLimits.TextLength)]
    public string? Content { get; init; }

    [Description("The frame, numbered as the media's frames are; derived from timestamp when only that is given"), Range(-InputLimits.MaxFrame, InputLimits.MaxFrame)]
    public long? FrameNumber { get; init; }

    [Description("Seconds into the media; with frameNumber, they must agree within half a frame"), Range(0, InputLimits.MaxSeconds)]
    public decimal? Timestamp { get; init; }

    public AnnotationPosition? Position { get; init; }

    public AnnotationDrawing? Drawing { get; init; }

    [Description("The note replied to, on the same media; a reply to a reply joins the thread's first note"), MaxLength(InputLimits.OpaqueValueLength)]
    public string? ParentId { get; init; }

    [Description("User ids or emails, stored as user ids"), MaxLength(InputLimits.MentionsCount), ItemMaxLength(InputLimits.EmailLength)]
    public List<string>? Mentions { get; init; }
}

/// <summary>Body of <c>PATCH</c>/<c>PUT /annotations/{id}</c>: what is sent changes; the rest stays.</summary>
public sealed record UpdateAnnotationRequest
{
    [Description("Only the author changes it"), MaxLength(InputLimits.TextLength)]
    public string? Content { get; init; }

    [Description("Only the author changes it"), Range(-InputLimits.MaxFrame, InputLimits.MaxFrame)]
    public long? FrameNumber { get; init; }

    [Description("Only the author changes it"), Range(0, InputLimits.MaxSeconds)]
    public decimal? Timestamp { get; init; }

    public AnnotationPosition? Position { get; init; }

    [Description("Replaces the whole drawing; send no shapes to clear it")]
    public AnnotationDrawing? Drawing { get; init; }

    [Description("Only the author changes them"), MaxLength(InputLimits.MentionsCount), ItemMaxLength(InputLimits.EmailLength)]
    public List<string>? Mentions { get; init; }

    [Description("active or resolved: the author, or someone who may write on the project; archive with DELETE"), MaxLength(InputLimits.WordLength)]
    public string? Status { get; init; }
}

/// <summary>The filters an annotation list was computed with; filters not given are left out.</summary>
public sealed record AnnotationFilters
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TaskId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProjectId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Author { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AnnotationType { get; init; }

    [Description("The status asked for, or \"active,resolved\" when none was")]
    public IReadOnlyList<string> Status { get; init; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Frame { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? FrameFrom { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? FrameTo { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("A note's id for its replies, or none for first notes only")]
    public string? ParentId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? UpdatedSince { get; init; }
}
