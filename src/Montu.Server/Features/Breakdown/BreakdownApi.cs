using System.ComponentModel;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Data;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.OpenApi;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Breakdown;

/// <summary>Episodes, sequences, shots and assets, with cut order and casting (docs/api.md §Breakdown, decision 0041).</summary>
public static class BreakdownApi
{
    public static IServiceCollection AddMontuBreakdown(this IServiceCollection services) => services
        .AddSingleton<BreakdownQueries>()
        .AddSingleton<BreakdownNames>()
        .AddSingleton<BreakdownChanges>();

    public static void MapBreakdownApi(this RouteGroupBuilder api)
    {
        // Each collection names its route value after itself ({shotId}), so the handlers are written out per collection.
        var episode = BreakdownKind.Episode;
        Map<Episode>(api, episode,
            (string episodeId, BreakdownQueries queries, CancellationToken ct) => GetAsync(episode, episodeId, queries, ct),
            (string episodeId, JsonElement body, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct) => UpdateAsync(episode, episodeId, body, ifMatch, changes, caller, ct),
            (string episodeId, [FromQuery(Name = "force")] string? force, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct) => ArchiveAsync(episode, episodeId, force, ifMatch, changes, caller, ct));
        var sequence = BreakdownKind.Sequence;
        Map<Sequence>(api, sequence,
            (string sequenceId, BreakdownQueries queries, CancellationToken ct) => GetAsync(sequence, sequenceId, queries, ct),
            (string sequenceId, JsonElement body, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct) => UpdateAsync(sequence, sequenceId, body, ifMatch, changes, caller, ct),
            (string sequenceId, [FromQuery(Name = "force")] string? force, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct) => ArchiveAsync(sequence, sequenceId, force, ifMatch, changes, caller, ct));
        var shot = BreakdownKind.Shot;
        Map<Shot>(api, shot,
            (string shotId, BreakdownQueries queries, CancellationToken ct) => GetAsync(shot, shotId, queries, ct),
            (string shotId, JsonElement body, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct) => UpdateAsync(shot, shotId, body, ifMatch, changes, caller, ct),
            (string shotId, [FromQuery(Name = "force"), Description("Archive the shot even with open tasks")] string? force, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct) =>
                ArchiveAsync(shot, shotId, force, ifMatch, changes, caller, ct));
        var asset = BreakdownKind.Asset;
        Map<Asset>(api, asset,
            (string assetId, BreakdownQueries queries, CancellationToken ct) => GetAsync(asset, assetId, queries, ct),
            (string assetId, JsonElement body, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct) => UpdateAsync(asset, assetId, body, ifMatch, changes, caller, ct),
            (string assetId, [FromQuery(Name = "force")] string? force, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct) => ArchiveAsync(asset, assetId, force, ifMatch, changes, caller, ct));

        var shots = api.MapGroup("/shots").WithTags("Breakdown");
        shots.MapGet("/{shotId}/tasks", ShotTasks).WithName("ListShotTasks").RequireProject(ProjectPermission.Read, resolvedBy: Resolver(BreakdownKind.Shot, "shotId"))
            .WithSummary("The non-archived tasks of the shot (its project's tasks with its episode, sequence and shot names), by id")
            .ProducesErrors(401, 404).Produces<ShotTasksDoc>(200);
        shots.MapPut("/{shotId}/casting", Cast).WithName("CastShot").RequireProject(ProjectPermission.Write, resolvedBy: Resolver(BreakdownKind.Shot, "shotId"))
            .WithSummary("Replace the assets cast in the shot (a list of asset ids of the shot's project; repeats collapse)")
            .ProducesErrors(400, 401, 403, 404, 415, 422).Produces<Shot>(200).ChecksIfMatch();
        api.MapGet("/assets/{assetId}/casting", AssetCasting).WithTags("Breakdown").WithName("ListAssetCasting")
            .RequireProject(ProjectPermission.Read, resolvedBy: Resolver(BreakdownKind.Asset, "assetId"))
            .WithSummary("The shots the asset is cast in, in cut order").ProducesErrors(401, 404).Produces<AssetCastingPage>(200);
        api.MapPut("/sequences/{sequenceId}/order", Order).WithTags("Breakdown").WithName("OrderSequenceShots")
            .RequireProject(ProjectPermission.Write, resolvedBy: Resolver(BreakdownKind.Sequence, "sequenceId"))
            .WithSummary("Set the cut order of the sequence's shots: every shot of the sequence exactly once; each gets cutOrder 1..n")
            .ProducesErrors(400, 401, 403, 404, 415, 422).Produces<Sequence>(200).ChecksIfMatch();
    }

    public sealed record ListQuery(
        [property: FromQuery(Name = "page"), Description("Page number, from 1; ignored when cursor is given")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from a previous page's nextCursor")] string? Cursor,
        [property: FromQuery(Name = "project_id"), Description("Project id")] string? ProjectId,
        [property: FromQuery(Name = "episode"), Description("Episode name, matched by its clean form (sequences, shots)")] string? Episode,
        [property: FromQuery(Name = "sequence"), Description("Sequence name, matched by its clean form (shots)")] string? Sequence,
        [property: FromQuery(Name = "asset_type"), Description("Asset type (assets)")] string? AssetType,
        [property: FromQuery(Name = "status"), Description("active, on_hold, omitted or archived")] string? Status,
        [property: FromQuery(Name = "include_archived"), Description("Also give archived entities")] string? IncludeArchived,
        [property: FromQuery(Name = "search"), Description("Substring of the id, names or description; case-insensitive")] string? Search);

    /// <summary>The non-archived tasks of a shot.</summary>
    public sealed record ShotTasksPage(string ShotId, IReadOnlyList<TaskJson> Items, int Total);

    /// <summary>The shots an asset is cast in.</summary>
    public sealed record AssetCastingPage(string AssetId, IReadOnlyList<Shot> Items, int Total);

    private static ProjectResolver Resolver(BreakdownKind kind, string routeValue) =>
        ProjectResolver.FromLookup<BreakdownQueries>(routeValue, kind.Label, (queries, id, ct) => queries.ProjectIdOfAsync(kind, id, ct));

    private static void Map<T>(RouteGroupBuilder api, BreakdownKind kind, Delegate get, Delegate update, Delegate archive)
        where T : BreakdownEntity
    {
        var group = api.MapGroup("/" + kind.Collection).WithTags("Breakdown");
        var routeValue = kind.Name + "Id";
        var resolver = Resolver(kind, routeValue);
        var one = $"/{{{routeValue}}}";
        var label = kind.Label;
        group.MapGet("/", ([AsParameters] ListQuery query, BreakdownQueries queries, Caller caller, CancellationToken ct) => ListAsync(kind, query, queries, caller, ct))
            .WithName($"List{label}s").RequireSignedIn()
            .WithSummary($"List {kind.Collection} of the projects you can read, in cut order: filters, page or cursor; archived ones only when asked")
            .ProducesErrors(400, 401, 403, 404).Produces<ListEnvelope<T, BreakdownFilters>>(200);
        group.MapPost("/", async (JsonElement body, BreakdownChanges changes, Caller caller, CancellationToken ct) =>
                Created(kind, await changes.CreateAsync(kind, body, caller.UserId, ct)))
            .WithName($"Create{label}").RequireProject(ProjectPermission.Write, resolvedBy: ProjectResolver.FromBodyField("projectId"))
            .WithSummary($"Create a {kind.Name} (its parents too, when missing); its id derives from its clean names; 409 when the project has it")
            .DocumentsBody<BreakdownCreateDoc>().ProducesErrors(400, 401, 403, 404, 409, 415, 422).Produces<T>(201).TagsRevision();
        group.MapGet(one, get).WithName($"Get{label}").RequireProject(ProjectPermission.Read, resolvedBy: resolver)
            .WithSummary($"Get a {kind.Name}").ProducesErrors(401, 404).Produces<T>(200).ServesRevision();
        group.MapPatch(one, update).WithName($"Update{label}").RequireProject(ProjectPermission.Write, resolvedBy: resolver)
            .WithSummary($"Update a {kind.Name} (partial); its names are its identity and read-only (400)")
            .DocumentsBody<BreakdownPatchDoc>().ProducesErrors(400, 401, 403, 404, 415, 422).Produces<T>(200).ChecksIfMatch();
        group.MapDelete(one, archive).WithName($"Archive{label}").RequireProject(ProjectPermission.Write, resolvedBy: resolver)
            .WithSummary(kind == BreakdownKind.Shot
                ? "Archive a shot (status archived; its tasks stay); one with open tasks (neither done nor archived) needs ?force=true, else 422"
                : $"Archive a {kind.Name} (status archived; its tasks and children stay)")
            .ProducesErrors(400, 401, 403, 404, 422).Produces<T>(200).ChecksIfMatch();
    }

    private static async Task<Results<Ok<BreakdownEntity>, ApiError>> GetAsync(BreakdownKind kind, string id, BreakdownQueries queries, CancellationToken ct) =>
        await queries.FindAsync(kind, id, ct) is { } entity ? TypedResults.Ok(entity) : BreakdownChanges.NotFound(kind, id);

    private static async Task<Results<Ok<BreakdownEntity>, ApiError>> UpdateAsync(
        BreakdownKind kind, string id, JsonElement body, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct) =>
        Answer(await changes.UpdateAsync(kind, id, body, ifMatch, caller.UserId, ct));

    private static async Task<Results<Ok<BreakdownEntity>, ApiError>> ArchiveAsync(
        BreakdownKind kind, string id, string? force, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var forced = QueryValues.Bool(force, "force", problems) is true;
        return problems.Any ? problems.ToError() : Answer(await changes.ArchiveAsync(kind, id, forced, ifMatch, caller.UserId, ct));
    }

    /// <summary>Items typed as object so each is written as its own collection's record, not the base one.</summary>
    private static async Task<Results<Ok<ListEnvelope<object, BreakdownFilters>>, ApiError>> ListAsync(
        BreakdownKind kind, ListQuery query, BreakdownQueries queries, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var filters = new BreakdownFilters
        {
            ProjectId = QueryValues.Text(query.ProjectId),
            Episode = QueryValues.Text(query.Episode),
            Sequence = QueryValues.Text(query.Sequence),
            AssetType = QueryValues.OneOf(QueryValues.Text(query.AssetType), "asset_type", BreakdownRules.AssetTypes, problems),
            Status = QueryValues.OneOf(QueryValues.Text(query.Status), "status", [.. BreakdownRules.Statuses, BreakdownRules.Archived], problems),
            IncludeArchived = QueryValues.Bool(query.IncludeArchived, "include_archived", problems) is true ? true : null,
            Search = QueryValues.Text(query.Search),
        };
        BreakdownCursor? after = null;
        if (page.Cursor is { } raw && (!Cursor.TryDecode(raw, out after) || after is null || after.Id is null || after.Kind != kind.Name))
        {
            problems.Add("cursor", "The cursor is not valid for this list; start again without it", ErrorCodes.InvalidFormat);
        }

        if (problems.Any)
        {
            return problems.ToError();
        }

        if (filters.ProjectId is { } projectId && ProjectAccess.Check(caller, projectId, ProjectPermission.Read) is { } hidden)
        {
            return hidden;
        }

        var (items, total, hasMore, last) = await queries.ListAsync(kind, filters, ProjectAccess.Readable(caller), page, after, ct);
        var next = hasMore && last is not null
            ? Cursor.Encode(new BreakdownCursor(kind.Name, last.EpisodeKey, last.SequenceKey, last.CutOrder, last.NameKey, last.Id))
            : null;
        return TypedResults.Ok(new ListEnvelope<object, BreakdownFilters>([.. items], total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, filters));
    }

    private static async Task<Results<Ok<ShotTasksPage>, ApiError>> ShotTasks(string shotId, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var shot = await connection.QuerySingleOrDefaultAsync<BreakdownRow>(new CommandDefinition(
            $"SELECT {BreakdownQueries.Columns} FROM breakdown WHERE kind = 'shot' AND id = @shotId", new { shotId }, cancellationToken: ct));
        if (shot is null)
        {
            return BreakdownChanges.NotFound(BreakdownKind.Shot, shotId);
        }

        var tasks = (await connection.QueryAsync<(string Doc, int Revision)>(new CommandDefinition(
            $"SELECT doc, revision FROM tasks WHERE {BreakdownQueries.ShotTasksCondition} AND status <> 'archived' ORDER BY id", shot, cancellationToken: ct)))
            .Select(t => new TaskJson(t.Doc, t.Revision)).ToList();
        return TypedResults.Ok(new ShotTasksPage(shotId, tasks, tasks.Count));
    }

    private static async Task<Results<Ok<AssetCastingPage>, ApiError>> AssetCasting(string assetId, BreakdownQueries queries, CancellationToken ct)
    {
        if (await queries.FindAsync(BreakdownKind.Asset, assetId, ct) is null)
        {
            return BreakdownChanges.NotFound(BreakdownKind.Asset, assetId);
        }

        var shots = await queries.ShotsAsync("b.id IN (SELECT shot_id FROM shot_casting WHERE asset_id = @assetId)", new { assetId }, ct);
        return TypedResults.Ok(new AssetCastingPage(assetId, [.. shots.Cast<Shot>()], shots.Count));
    }

    private static async Task<Results<Ok<BreakdownEntity>, ApiError>> Cast(
        string shotId, CastingRequest body, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct) =>
        Answer(await changes.CastAsync(shotId, body.AssetIds, ifMatch, caller.UserId, ct));

    private static async Task<Results<Ok<BreakdownEntity>, ApiError>> Order(
        string sequenceId, ShotOrderRequest body, IfMatch ifMatch, BreakdownChanges changes, Caller caller, CancellationToken ct) =>
        Answer(await changes.OrderAsync(sequenceId, body.ShotIds, ifMatch, caller.UserId, ct));

    private static Results<Created<BreakdownEntity>, ApiError> Created(BreakdownKind kind, BreakdownOutcome outcome) =>
        outcome.Error is { } error ? error : TypedResults.Created($"/api/v1/{kind.Collection}/{outcome.Entity!.Id}", outcome.Entity);

    private static Results<Ok<BreakdownEntity>, ApiError> Answer(BreakdownOutcome outcome) =>
        outcome.Error is { } error ? error : TypedResults.Ok(outcome.Entity!);
}
