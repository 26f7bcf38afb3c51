using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.TaskWorkflow;

/// <summary>Body of <c>POST /tasks/{id}/dependencies</c>.</summary>
public sealed record AddDependencyRequest
{
    [Description("The task this one waits on: a task of the same project"), MaxLength(InputLimits.TaskIdLength)]
    public string? DependsOn { get; init; }

    [Description("finish_to_start (the only kind, and the default): this task starts once dependsOn is finished"), MaxLength(InputLimits.WordLength)]
    public string? Kind { get; init; }
}

/// <summary>One link: <paramref name="TaskId"/> waits on <paramref name="DependsOn"/>.</summary>
public sealed record TaskDependency(string TaskId, string DependsOn, string Kind, string ProjectId, string? CreatedBy, DateTime CreatedAt);

/// <summary>A task on the other end of a link, with what a planner needs at a glance.</summary>
public sealed record LinkedTask(
    string Id,
    [property: Description("The task type (the task field)")] string Task,
    string Status,
    string? Artist,
    [property: Description("Its status is one of the project's doneStatuses")] bool Finished,
    string Kind);

/// <summary><c>GET /tasks/{id}/dependencies</c>: both directions of a task's links.</summary>
public sealed record TaskDependencies(
    string TaskId,
    [property: Description("Whether a task it waits on is neither finished nor archived")] bool Blocked,
    [property: Description("The tasks this one waits on")] IReadOnlyList<LinkedTask> DependsOn,
    [property: Description("The tasks waiting on this one")] IReadOnlyList<LinkedTask> Dependents);

/// <summary>How a view sorts the list: the task list's <c>sort</c> and <c>order</c>.</summary>
public sealed record ViewSort
{
    [Description("created_at, updated_at, priority, deadline or id"), MaxLength(InputLimits.WordLength)]
    public string? Field { get; init; }

    [Description("asc or desc"), MaxLength(InputLimits.WordLength)]
    public string? Order { get; init; }
}

/// <summary>What a saved view shows, as sent.</summary>
public sealed record ViewQueryInput
{
    [Description("Task list query parameters by name (status, artist, task_type, search, blocked...), each a string, number or boolean, checked as GET /tasks checks them")]
    [MapLimits(32, InputLimits.WordLength)]
    public Dictionary<string, JsonElement>? Filters { get; init; }

    public ViewSort? Sort { get; init; }

    [Description("The columns a client shows, in order; the server keeps them as sent"), MaxLength(InputLimits.ViewColumnsCount), ItemMaxLength(InputLimits.CustomFieldNameLength)]
    public List<string>? Columns { get; init; }
}

/// <summary>Body of <c>POST /views</c>.</summary>
public sealed record CreateViewRequest
{
    [MaxLength(InputLimits.ProjectIdLength)]
    public string? ProjectId { get; init; }

    [MaxLength(InputLimits.ViewNameLength)]
    public string? Name { get; init; }

    [Description("tasks (the only resource, and the default)"), MaxLength(InputLimits.WordLength)]
    public string? Resource { get; init; }

    public ViewQueryInput? Query { get; init; }

    [Description("true: every reader of the project sees it (needs write on the project); default false, yours alone")]
    public bool? Shared { get; init; }
}

/// <summary>Body of <c>PATCH /views/{id}</c>: only the fields sent change; <c>query</c> is replaced whole.</summary>
public sealed record UpdateViewRequest
{
    [MaxLength(InputLimits.ViewNameLength)]
    public string? Name { get; init; }

    public ViewQueryInput? Query { get; init; }

    public bool? Shared { get; init; }
}

/// <summary>A view's query as stored: every filter value as the text a query string would carry.</summary>
public sealed record ViewQuery(IReadOnlyDictionary<string, string> Filters, ViewSort? Sort, IReadOnlyList<string> Columns);

/// <summary>A saved task-list view.</summary>
public sealed record SavedView(
    string Id,
    string ProjectId,
    [property: Description("Who saved it; only they change or delete it")] string OwnerId,
    string Name,
    string Resource,
    ViewQuery Query,
    bool Shared,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>The filters a view list was computed with.</summary>
public sealed record ViewFilters(string? ProjectId);
