using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.Media;

/// <summary>A media version: a render, playblast, plate, still, sound or reference file submitted for review.</summary>
public sealed record MediaItem(
    string Id,
    string ProjectId,
    [property: Description("The task it is a version of; null for project-level reference files")] string? LinkedTaskId,
    [property: Description("v001, v002...; null for project-level reference files")] string? LinkedVersion,
    [property: Description("The user who uploaded it")] string Author,
    string FileName,
    [property: Description("image, video, audio, document or other, judged from the content")] string MediaType,
    string FileExtension,
    string ContentType,
    string StorageKey,
    [property: Description("The original bytes")] string StorageUrl,
    string? ThumbnailKey,
    [property: Description("A JPEG of at most 320 px; null for documents and other files")] string? ThumbnailUrl,
    [property: Description("What a browser can play or show; null for documents and other files")] string? StreamUrl,
    string Description,
    IReadOnlyList<string> Tags,
    MediaMetadata Metadata,
    MediaProcessing Processing,
    [property: Description("pending, approved, rejected or needs_revision")] string ApprovalStatus,
    string? ReviewedBy,
    string? ReviewNotes,
    DateTime? ReviewedAt,
    [property: Description("Grows by one with every change, processing results included; sent as the ETag")] int Revision,
    DateTime CreatedAt,
    DateTime UpdatedAt) : IRevisioned;

/// <summary>
/// What is known of the file. <c>fileSize</c> and <c>checksum</c> are known at upload; the rest
/// once processing has probed it, and null when the file does not say.
/// </summary>
public sealed record MediaMetadata(
    long FileSize,
    int? Width,
    int? Height,
    double? DurationSeconds,
    [property: Description("frameRateExact rounded to 3 decimals; never used to count frames")] double? FrameRate,
    [property: Description("The rate the file declares, as a rational: 24000/1001")] string? FrameRateExact,
    long? FrameCount,
    long? FirstFrame,
    string? Codec,
    string? PixelFormat,
    string? ColorSpace,
    string? Timecode,
    DateTime? CreationDate,
    [property: Description("sha256:<hex> of the original bytes")] string Checksum)
{
    public static MediaMetadata Uploaded(long size, string checksum) => new(size, null, null, null, null, null, null, null, null, null, null, null, null, checksum);
}

/// <summary>Background work on the file: <c>pending</c>, then <c>ready</c> or <c>failed</c> with the reason.</summary>
public sealed record MediaProcessing(string Status, string? Error)
{
    public const string PendingStatus = "pending";
    public const string ReadyStatus = "ready";
    public const string FailedStatus = "failed";

    public static readonly MediaProcessing Pending = new(PendingStatus, null);
}

/// <summary>Body of <c>PATCH</c>/<c>PUT /media/{id}</c>: only these two fields change.</summary>
public sealed record UpdateMediaRequest
{
    [MaxLength(InputLimits.TextLength)]
    public string? Description { get; init; }

    [MaxLength(InputLimits.TagsCount), ItemMaxLength(InputLimits.TagLength)]
    public List<string>? Tags { get; init; }
}

/// <summary>The filters a media list was computed with; filters not given are left out.</summary>
public sealed record MediaFilters
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProjectId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TaskId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FileType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Author { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApprovalStatus { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Tags { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Version { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Search { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? CreatedSince { get; init; }
}
