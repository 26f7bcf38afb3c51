using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Concurrency;

namespace Montu.Server.Features.WorkFiles;

/// <summary>Body of <c>POST /tasks/{id}/versions</c>.</summary>
public sealed record AllocateVersionRequest
{
    [Description("Why this version was made"), MaxLength(InputLimits.TextLength)]
    public string? Comment { get; init; }
}

/// <summary>A work-file version of a task, with its paths as the project's templates give them.</summary>
public sealed record WorkFileVersion(
    string TaskId,
    [property: Description("v001, v002, ...")] string Version,
    [property: Description("null where the project has no working_file template or it lacks a value")] string? WorkingFilePath,
    string? Filename,
    string? RenderOutputPath,
    string? MediaFilePath,
    string CreatedBy,
    DateTime CreatedAt,
    string? Comment,
    [property: Description("Whether it is the task's publishedVersion")] bool Published,
    [property: Description("The task's revision after the allocation; sent as the ETag, for If-Match on the task's next change")] int TaskRevision) : IRevisioned
{
    [JsonIgnore]
    int IRevisioned.Revision => TaskRevision;
}

/// <summary>A task's work-file versions, oldest first, with its current and published ones.</summary>
public sealed record WorkFileVersionList(
    string TaskId,
    string? CurrentVersion,
    string? PublishedVersion,
    IReadOnlyList<WorkFileVersion> Items);
