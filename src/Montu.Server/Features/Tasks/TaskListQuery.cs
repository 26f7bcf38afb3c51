using System.ComponentModel;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Tasks;

/// <summary>
/// The filters and sort of <c>GET /tasks</c>, which its CSV export takes too, so both mean the same;
/// as text so every bad value is reported under its own name.
/// </summary>
public sealed record TaskListQuery(
    [property: FromQuery(Name = "project_id"), Description("Project id")] string? ProjectId,
    [property: FromQuery(Name = "episode"), Description("Episode name, exact")] string? Episode,
    [property: FromQuery(Name = "sequence"), Description("Sequence name, exact")] string? Sequence,
    [property: FromQuery(Name = "shot"), Description("Shot name, exact")] string? Shot,
    [property: FromQuery(Name = "task_type"), Description("Task type (the task field), exact")] string? TaskType,
    [property: FromQuery(Name = "artist"), Description("Assigned artist, exact")] string? Artist,
    [property: FromQuery(Name = "status"), Description("Status; 'archived' gives archived tasks")] string? Status,
    [property: FromQuery(Name = "priority"), Description("Priority level")] string? Priority,
    [property: FromQuery(Name = "milestone"), Description("Milestone")] string? Milestone,
    [property: FromQuery(Name = "search"), Description("Substring of id, episode, sequence, shot, asset, task, artist or description; case-insensitive")] string? Search,
    [property: FromQuery(Name = "deadline_before"), Description("Deadline strictly before this ISO 8601 time")] string? DeadlineBefore,
    [property: FromQuery(Name = "deadline_after"), Description("Deadline strictly after this ISO 8601 time")] string? DeadlineAfter,
    [property: FromQuery(Name = "updated_since"), Description("Updated at or after this ISO 8601 time")] string? UpdatedSince,
    [property: FromQuery(Name = "include_archived"), Description("Also give archived tasks")] string? IncludeArchived,
    [property: FromQuery(Name = "blocked"), Description("true: tasks waiting on a prerequisite not in the project's doneStatuses (archived ones do not count); false: the others")] string? Blocked,
    [property: FromQuery(Name = "sort"), Description("created_at, updated_at, priority (the project's level order), deadline (none last) or id (default)")] string? Sort,
    [property: FromQuery(Name = "order"), Description("asc (default) or desc")] string? Order)
{
    public TaskFilters ToFilters(ValidationProblems problems) => new()
    {
        ProjectId = QueryValues.Text(ProjectId),
        Episode = QueryValues.Text(Episode),
        Sequence = QueryValues.Text(Sequence),
        Shot = QueryValues.Text(Shot),
        TaskType = QueryValues.Text(TaskType),
        Artist = QueryValues.Text(Artist),
        Status = QueryValues.Text(Status),
        Priority = QueryValues.Text(Priority),
        Milestone = QueryValues.Text(Milestone),
        Search = QueryValues.Text(Search),
        DeadlineBefore = QueryValues.Timestamp(DeadlineBefore, "deadline_before", problems),
        DeadlineAfter = QueryValues.Timestamp(DeadlineAfter, "deadline_after", problems),
        UpdatedSince = QueryValues.Timestamp(UpdatedSince, "updated_since", problems),
        IncludeArchived = QueryValues.Bool(IncludeArchived, "include_archived", problems) is true ? true : null,
        Blocked = QueryValues.Bool(Blocked, "blocked", problems),
    };

    private static readonly ConstructorInfo Constructor = typeof(TaskListQuery).GetConstructors().Single();

    /// <summary>The query parameter names, in the order of the constructor's parameters.</summary>
    private static readonly string[] Names = [.. Constructor.GetParameters()
        .Select(p => typeof(TaskListQuery).GetProperty(p.Name!)!.GetCustomAttribute<FromQueryAttribute>()!.Name!)];

    /// <summary>The parameters a saved view may hold as its filters: all but the project (the view's own) and the sort.</summary>
    public static readonly IReadOnlyList<string> FilterNames = [.. Names.Where(n => n is not ("project_id" or "sort" or "order"))];

    /// <summary>The query with the parameters <paramref name="values"/> names (by query parameter name); the others are left out.</summary>
    public static TaskListQuery FromValues(IReadOnlyDictionary<string, string?> values) =>
        (TaskListQuery)Constructor.Invoke([.. Names.Select(n => (object?)values.GetValueOrDefault(n))]);

    /// <summary>This query, with each parameter it leaves out taken from <paramref name="fallback"/>: a saved view under explicit parameters.</summary>
    public TaskListQuery Over(TaskListQuery fallback)
    {
        var mine = Constructor.GetParameters().Select(p => typeof(TaskListQuery).GetProperty(p.Name!)!).ToList();
        return (TaskListQuery)Constructor.Invoke([.. mine.Select(p => p.GetValue(this) ?? p.GetValue(fallback))]);
    }
}

/// <summary>The paging of <c>GET /tasks</c>.</summary>
public sealed record TaskPageQuery(
    [property: FromQuery(Name = "page"), Description("Page number, from 1; ignored when cursor is given")] string? Page,
    [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
    [property: FromQuery(Name = "cursor"), Description("Opaque cursor from a previous page's nextCursor, valid with the same sort and order")] string? Cursor);
