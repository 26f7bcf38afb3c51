using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Infrastructure;

namespace Montu.Server.Features.Board;

/// <summary>A project's tasks in columns, each in board order (docs/api.md §Board).</summary>
public sealed record TaskBoard<TTask>(IReadOnlyList<BoardColumn<TTask>> Columns);

/// <summary>
/// One column: its key (a status, an artist, null for unassigned tasks, or a task type), how many
/// tasks match it, the first of them in board order, and the cursor of the rest.
/// </summary>
public sealed record BoardColumn<TTask>(string? Key, long Total, IReadOnlyList<TTask> Tasks, string? NextCursor);

/// <summary>The board's own parameters; the task filters are those of <c>GET /tasks</c>.</summary>
public sealed record BoardQuery(
    [property: FromQuery(Name = "group_by"), Description("status (default: the project's taskStatuses order), artist (unassigned first, key null, then by name) or task_type (the project's taskTypes order)")] string? GroupBy,
    [property: FromQuery(Name = "per_column"), Description("Tasks per column, 1 to 100 (default 50)")] string? PerColumn,
    [property: FromQuery(Name = "cursor"), Description("A column's nextCursor: answers that column alone, with its tasks after the ones already sent; send the same group_by and filters")] string? Cursor);

/// <summary>Where a board page of one column ends: the grouping and column it was made for, and the last task's position.</summary>
public sealed record BoardCursor(string GroupBy, string? Key, string Rank, string Id);

/// <summary>
/// Moves a task on the board. status and artist change as in a PATCH (same rules, checks and
/// event); before and after place it: right after <c>after</c>, right before <c>before</c>,
/// between them when both are given, at the end of its column when neither is.
/// </summary>
public sealed record TaskMoveDoc
{
    [Description("New status, one of the project's taskStatuses")]
    [MaxLength(InputLimits.NameLength)]
    public string? Status { get; init; }

    [Description("New artist; null unassigns")]
    [MaxLength(InputLimits.NameLength)]
    public string? Artist { get; init; }

    [Description("Id of a task of the same project the moved task goes right before")]
    [MaxLength(InputLimits.TaskIdLength)]
    public string? Before { get; init; }

    [Description("Id of a task of the same project the moved task goes right after")]
    [MaxLength(InputLimits.TaskIdLength)]
    public string? After { get; init; }
}
