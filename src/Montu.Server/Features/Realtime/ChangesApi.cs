using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Realtime;

/// <summary>One event of the changes feed: the same events the sockets carry, with their place in the log.</summary>
public sealed record ChangeItem(
    long Seq, string Type, string EntityType, string EntityId, string? ProjectId,
    [property: Description("The event's data, as the sockets send it")] JsonElement Data,
    [property: Description("The acting user's id")] string? User,
    DateTime Timestamp);

public sealed record ChangesPage(
    IReadOnlyList<ChangeItem> Items,
    [property: Description("Pass as since for the next page; the same value when nothing was new")] long NextSince,
    bool HasMore);

/// <summary><c>GET /changes</c>: what a client that was offline missed, from the event log, page by page.</summary>
public static class ChangesApi
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1000;

    public static void MapChangesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/changes", ListChangesAsync).WithName("ListChanges").WithTags("Real time").RequireSignedIn()
            .WithSummary("The events after since, oldest first, of the projects you can read (or one): catch up after being offline; 410 when since is older than the kept log")
            .ProducesErrors(400, 401, 404, 410);
    }

    private static async Task<Results<Ok<ChangesPage>, ApiError>> ListChangesAsync(
        [FromQuery(Name = "project_id"), Description("Only this project's events")] string? projectId,
        [FromQuery(Name = "since"), Description("The seq of the last event the client has; left out (or 0), everything kept")] string? since,
        [FromQuery(Name = "limit"), Description("Events per page, 1 to 1000 (default 500)")] string? limit,
        EventQueries events, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var after = QueryValues.Long(since, "since", 0, problems) ?? 0;
        var size = QueryValues.Int(limit, "limit", 1, MaxLimit, problems) ?? DefaultLimit;
        if (problems.Any)
        {
            return problems.ToError();
        }

        if (projectId is not null && ProjectAccess.Check(caller, projectId, ProjectPermission.Read) is { } refused)
        {
            return refused;
        }

        var pruned = await events.PrunedThroughAsync(ct);
        if (after < pruned)
        {
            return new ApiError(StatusCodes.Status410Gone,
                $"Events up to {pruned} are no longer kept: reload what you show, then follow the changes from the seq of your reload (the oldest kept is {pruned + 1})");
        }

        var rows = await events.FeedAsync(ProjectAccess.Readable(caller), projectId, after, size + 1, ct);
        var items = rows.Take(size).Select(Item).ToList();
        return TypedResults.Ok(new ChangesPage(items, items.Count > 0 ? items[^1].Seq : after, rows.Count > size));
    }

    private static ChangeItem Item(EventRow row)
    {
        using var payload = JsonDocument.Parse(row.Payload);
        return new ChangeItem(row.Seq, row.Type, row.EntityType, row.EntityId, row.ProjectId, payload.RootElement.Clone(), row.UserId,
            DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc));
    }
}
