using System.ComponentModel;
using Montu.Server.Features.Media;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Uploads;

/// <summary>A resumable upload, as <c>POST /uploads</c> creates it; tus clients read its headers instead.</summary>
public sealed record ResumableUpload(
    string Id,
    string ProjectId,
    [property: Description("The task the file becomes a version of; null for a project-level reference file")] string? TaskId,
    [property: Description("The version asked for (v003); null for the task's next one when the last byte arrives")] string? Version,
    string FileName,
    [property: Description("The file's size in bytes (Upload-Length)")] long Length,
    [property: Description("The bytes stored so far (Upload-Offset)")] long Offset,
    [property: Description("When the upload and its bytes are removed, finished or not (Upload-Expires)")] DateTime ExpiresAt,
    [property: Description("The media version it became, once its last byte arrived")] string? MediaId,
    DateTime CreatedAt)
{
    public static ResumableUpload From(UploadRow row, UploadProgress progress) => new(
        row.Id,
        row.ProjectId,
        row.TaskId,
        row.VersionNumber is { } version ? MediaRules.VersionName(version) : null,
        row.FileName,
        row.UploadLength,
        progress.Offset,
        DateTime.SpecifyKind(row.ExpiresAt, DateTimeKind.Utc),
        progress.MediaId,
        DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc));
}

/// <summary>Where an upload stands after a request added bytes to it, or why the request was refused.</summary>
public sealed record UploadProgress(long Offset, string? MediaId, ApiError? Error)
{
    public static implicit operator UploadProgress(ApiError error) => new(0, null, error);
}
