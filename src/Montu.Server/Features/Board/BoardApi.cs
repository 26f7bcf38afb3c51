using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Data;
using Montu.Server.Features.Projects;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.OpenApi;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Board;

/// <summary>The Kanban board: a project's tasks in columns, and moves between and within them (docs/api.md §Board, decision 0043).</summary>
public static class BoardApi
{
    public const int DefaultPerColumn = 50;
    public const int MaxPerColumn = 100;

    public static IServiceCollection AddMontuBoard(this IServiceCollection services) => services
        .AddSingleton<BoardQueries>()
        .AddSingleton<BoardReader>()
        .AddSingleton<BoardMoves>()
        .AddSingleton<BoardCache>();

    public static void MapBoardApi(this RouteGroupBuilder api)
    {
        api.MapGet("/projects/{projectId}/board", GetBoard).WithTags("Board").WithName("GetProjectBoard")
            .RequireProject(ProjectPermission.Read)
            .WithSummary("A project's tasks in columns by status, artist or task type, each in board order; takes the filters of GET /tasks")
            .WithDescription(
                "Each column has its key, the number of tasks matching the filters in it (what GET /tasks with the same filters and that status, artist or task_type counts), "
                + "its first per_column tasks (the task JSON of GET /tasks) and nextCursor while more remain. Send a column's nextCursor back with the same group_by and filters "
                + "for that column alone, continued. Status and task_type columns follow the project's vocabulary and are all present, empty or not, followed by values "
                + "outside it that tasks hold (archived, when the filters ask for archived tasks). Artist columns: unassigned tasks first (key null, always present), then each artist by name. "
                + "project_id, when given, must be the route's project; sort and order do not apply (the board has its own order).")
            .ProducesErrors(400, 401, 404).Produces<TaskBoard<TaskItem>>(200);
        api.MapPost("/tasks/{taskId}/move", MoveTask).WithTags("Board").WithName("MoveTask")
            .RequireProject(ProjectPermission.WriteAssigned, resolvedBy: TaskProject)
            .WithSummary("Move a task on the board: status and artist change as in a PATCH; before/after place it among the tasks of its project")
            .WithDescription(
                "status and artist follow the rules, access checks and event of PATCH /tasks/{id}. The task goes right after 'after', right before 'before', "
                + "between them when both are given (409 when 'after' is placed after 'before'), or at the end of the board when neither is. before and after name tasks of the same project, "
                + "in any column: the board has one order per project, which every grouping shows. A move that changes no field leaves the revision as it is and records a task_moved event.")
            .DocumentsBody<TaskMoveDoc>().ProducesErrors(400, 401, 403, 404, 409, 415, 422).Produces<TaskItem>(200).ChecksIfMatch();
    }

    /// <summary>A task's project never changes, so the route's access check can look it up by task id.</summary>
    private static readonly ProjectResolver TaskProject =
        ProjectResolver.FromLookup<TaskQueries>("taskId", "Task", (tasks, id, ct) => tasks.ProjectIdOfAsync(id, ct));

    private const string JsonContentType = "application/json; charset=utf-8";

    private static async Task<Results<FileContentHttpResult, ApiError>> GetBoard(
        string projectId, [AsParameters] BoardQuery board, [AsParameters] TaskListQuery query, BoardReader reader, BoardCache cache,
        ProjectQueries projects, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var groupBy = QueryValues.OneOf(QueryValues.Text(board.GroupBy), "group_by", BoardReader.Groupings, problems) ?? BoardReader.ByStatus;
        var perColumn = QueryValues.Int(board.PerColumn, "per_column", 1, MaxPerColumn, problems) ?? DefaultPerColumn;
        if (QueryValues.Text(query.ProjectId) is { } named && named != projectId)
        {
            problems.Add("project_id", $"The board is of project {Quote.Of(projectId)}; leave project_id out or send the same");
        }

        foreach (var (name, value) in new[] { ("sort", query.Sort), ("order", query.Order) })
        {
            if (QueryValues.Text(value) is not null)
            {
                problems.Add(name, $"The board is in board order; '{name}' does not apply to it");
            }
        }

        var filters = (query with { ProjectId = projectId }).ToFilters(problems);
        var cursor = ReadCursor(QueryValues.Text(board.Cursor), groupBy, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        if (await projects.FindAsync(projectId, ct) is not { } project)
        {
            return ApiError.NotFound($"Project {Quote.Of(projectId)} not found");
        }

        var readable = ProjectAccess.Readable(caller);
        var key = string.Join('\u001f', JsonSerializer.Serialize(filters, WireJson.Default), groupBy,
            perColumn.ToString(CultureInfo.InvariantCulture), board.Cursor ?? "", JsonSerializer.Serialize(project.TaskStatuses), JsonSerializer.Serialize(project.TaskTypes));
        // Shared with other requests for the board, so not cancelled with this one.
        var body = await cache.GetAsync(key, projectId, async () => JsonSerializer.SerializeToUtf8Bytes(
            await reader.ReadAsync(project, filters, readable, groupBy, perColumn, cursor, CancellationToken.None), WireJson.Default), ct);
        return TypedResults.Bytes(body, JsonContentType);
    }

    private static BoardCursor? ReadCursor(string? raw, string groupBy, ValidationProblems problems)
    {
        if (raw is null)
        {
            return null;
        }

        if (!Cursor.TryDecode<BoardCursor>(raw, out var cursor) || cursor is null || cursor.GroupBy is null || cursor.Id is null
            || cursor.Rank is null || !BoardRank.IsWellFormed(cursor.Rank))
        {
            problems.Add("cursor", "The cursor is not valid; start again without it", ErrorCodes.InvalidFormat);
            return null;
        }

        if (cursor.GroupBy != groupBy)
        {
            problems.Add("cursor", $"The cursor was made for group_by={cursor.GroupBy}; send the same group_by, or start again without it");
            return null;
        }

        return cursor;
    }

    private static async Task<Results<Ok<TaskItem>, ApiError>> MoveTask(
        string taskId, JsonElement body, IfMatch ifMatch, BoardMoves moves, Caller caller, CancellationToken ct)
    {
        var outcome = await moves.MoveAsync(taskId, body, new TaskGuard(caller), ifMatch, ct);
        return outcome.Error is { } error ? error : TypedResults.Ok(outcome.Task!);
    }
}

/// <summary>Board answers (see <see cref="PageCache"/>), kept until the project changes.</summary>
public sealed class BoardCache(EventLogHead head, ILogger<BoardCache> log) : PageCache(head, log);
