using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Features.Tasks;

namespace Montu.Server.Features.TaskExport;

/// <summary>
/// The query string of <c>GET /tasks/export.csv</c>: the filters and sort of <c>GET /tasks</c>
/// (read by <see cref="TaskListQuery"/>, so both mean the same), without its paging, since the
/// export sends every matching task, and with <c>bom</c>.
/// </summary>
public sealed record TaskExportQuery(
    [property: FromQuery(Name = "project_id"), Description("Project id")] string? ProjectId,
    [property: FromQuery(Name = "episode"), Description("Episode name, exact")] string? Episode,
    [property: FromQuery(Name = "sequence"), Description("Sequence name, exact")] string? Sequence,
    [property: FromQuery(Name = "shot"), Description("Shot name, exact")] string? Shot,
    [property: FromQuery(Name = "task_type"), Description("Task type (the task field), exact")] string? TaskType,
    [property: FromQuery(Name = "artist"), Description("Assigned artist, exact")] string? Artist,
    [property: FromQuery(Name = "status"), Description("Status; 'archived' exports archived tasks")] string? Status,
    [property: FromQuery(Name = "priority"), Description("Priority level")] string? Priority,
    [property: FromQuery(Name = "milestone"), Description("Milestone")] string? Milestone,
    [property: FromQuery(Name = "search"), Description("Substring of id, episode, sequence, shot, asset, task, artist or description; case-insensitive")] string? Search,
    [property: FromQuery(Name = "deadline_before"), Description("Deadline strictly before this ISO 8601 time")] string? DeadlineBefore,
    [property: FromQuery(Name = "deadline_after"), Description("Deadline strictly after this ISO 8601 time")] string? DeadlineAfter,
    [property: FromQuery(Name = "updated_since"), Description("Updated at or after this ISO 8601 time")] string? UpdatedSince,
    [property: FromQuery(Name = "include_archived"), Description("Also export archived tasks")] string? IncludeArchived,
    [property: FromQuery(Name = "sort"), Description("created_at, updated_at, priority (the project's level order), deadline (none last) or id (default)")] string? Sort,
    [property: FromQuery(Name = "order"), Description("asc (default) or desc")] string? Order,
    [property: FromQuery(Name = "bom"), Description("true starts the file with a UTF-8 byte order mark, for Excel")] string? Bom)
{
    public TaskListQuery AsListQuery() => new(
        null, null, null, ProjectId, Episode, Sequence, Shot, TaskType, Artist, Status, Priority, Milestone, Search,
        DeadlineBefore, DeadlineAfter, UpdatedSince, IncludeArchived, Sort, Order);
}
