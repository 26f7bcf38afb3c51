using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Montu.Server.Features.Media;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Concurrency;

namespace Montu.Server.Features.Playlists;

/// <summary>A playlist: media versions in order, reviewed together in dailies or with a client.</summary>
public sealed record Playlist(
    string Id,
    string ProjectId,
    string Name,
    string Description,
    [property: Description("The user who made it")] string CreatedBy,
    [property: Description("The day of the review, YYYY-MM-DD; null when none was given")] string? ReviewDate,
    [property: Description("In playlist order")] IReadOnlyList<PlaylistItem> Items,
    [property: Description("open, closed or archived (deleted)")] string Status,
    [property: Description("Who closed it; null while open")] string? ClosedBy,
    DateTime? ClosedAt,
    [property: Description("Grows by one with every change to the playlist or its items; sent as the ETag")] int Revision,
    DateTime CreatedAt,
    DateTime UpdatedAt) : IRevisioned;

/// <summary>One entry of a playlist: the media version it shows, and the decision taken on it in the review.</summary>
public sealed record PlaylistItem(
    string Id,
    [property: Description("The version shown: the pinned one, or the task's newest when followLatest")] string MediaId,
    [property: Description("The task of that version; null for project-level reference files")] string? TaskId,
    [property: Description("Shows the task's newest version whenever the playlist is read")] bool FollowLatest,
    [property: Description("0 for the first item")] int Position,
    [property: Description("approved, needs_revision, rejected, or null while undecided")] string? Decision,
    string? DecisionNotes,
    [property: Description("The media version as GET /media/{id} returns it; null when it has been deleted")] MediaItem? Media);

/// <summary>A playlist as lists show it: without its items, with how many it has.</summary>
public sealed record PlaylistSummary(
    string Id,
    string ProjectId,
    string Name,
    string Description,
    string CreatedBy,
    string? ReviewDate,
    int ItemCount,
    [property: Description("open, closed or archived (deleted)")] string Status,
    string? ClosedBy,
    DateTime? ClosedAt,
    int Revision,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>Body of <c>POST /playlists</c>.</summary>
public sealed record CreatePlaylistRequest
{
    [MaxLength(InputLimits.ProjectIdLength)]
    public string? ProjectId { get; init; }

    [MaxLength(InputLimits.NameLength)]
    public string? Name { get; init; }

    [MaxLength(InputLimits.TextLength)]
    public string? Description { get; init; }

    [Description("YYYY-MM-DD"), MaxLength(PlaylistRules.DateLength)]
    public string? ReviewDate { get; init; }
}

/// <summary>Body of <c>PATCH /playlists/{id}</c>: fields left out are kept.</summary>
public sealed record UpdatePlaylistRequest
{
    [MaxLength(InputLimits.NameLength)]
    public string? Name { get; init; }

    [MaxLength(InputLimits.TextLength)]
    public string? Description { get; init; }

    [Description("YYYY-MM-DD"), MaxLength(PlaylistRules.DateLength)]
    public string? ReviewDate { get; init; }
}

/// <summary>Body of <c>POST /playlists/{id}/items</c>: a media version, or a task whose newest version is taken.</summary>
public sealed record AddPlaylistItemRequest
{
    [Description("The version to show; give this or taskId"), MaxLength(InputLimits.OpaqueValueLength)]
    public string? MediaId { get; init; }

    [Description("A task whose newest version is shown; give this or mediaId"), MaxLength(InputLimits.TaskIdLength)]
    public string? TaskId { get; init; }

    [Description("With taskId: keep showing the task's newest version as new ones are uploaded (default false: pin the newest now)")]
    public bool? FollowLatest { get; init; }

    [Description("Where it goes, from 0; left out, at the end"), Range(0, PlaylistRules.MaxItems)]
    public int? Position { get; init; }
}

/// <summary>Body of <c>PATCH /playlists/{id}/items/{itemId}</c>: the decision as it now stands, both fields at once.</summary>
public sealed record UpdatePlaylistItemRequest
{
    [Description("approved, needs_revision or rejected; null or left out: undecided"), MaxLength(InputLimits.WordLength)]
    public string? Decision { get; init; }

    [Description("Notes for the artist; left out: none"), MaxLength(InputLimits.TextLength)]
    public string? DecisionNotes { get; init; }
}

/// <summary>The filters a playlist list was computed with; filters not given are left out.</summary>
public sealed record PlaylistFilters
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProjectId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }
}
