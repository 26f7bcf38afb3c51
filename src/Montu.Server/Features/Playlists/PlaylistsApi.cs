using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Playlists;

public static class PlaylistsApi
{
    public static IServiceCollection AddMontuPlaylists(this IServiceCollection services) => services
        .AddSingleton<PlaylistQueries>()
        .AddSingleton<PlaylistReader>()
        .AddSingleton<PlaylistWrites>()
        .AddSingleton<PlaylistChanges>()
        .AddSingleton<PlaylistItemChanges>()
        .AddSingleton<PlaylistClosing>()
        .AddSingleton<PlaylistNotes>()
        .AddSingleton<PlaylistShareQueries>()
        .AddSingleton<PlaylistShares>()
        .AddSingleton<IShareLinkGate, PlaylistShareGate>();

    public static void MapPlaylistsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/playlists").WithTags("Playlists");
        group.MapGet("/", ListPlaylists).WithName("ListPlaylists").RequireSignedIn()
            .WithSummary("List playlists of the projects you can read, newest first, without their items: filters, page or cursor").ProducesErrors(400, 401, 404);
        group.MapPost("/", CreatePlaylist).WithName("CreatePlaylist").RequireProject(ProjectPermission.Write, resolvedBy: ProjectResolver.FromBodyField("projectId"))
            .WithSummary("Make an empty playlist in a project").ProducesErrors(400, 401, 403, 404, 415).TagsRevision();
        group.MapGet("/{playlistId}", GetPlaylist).WithName("GetPlaylist").RequireProject(ProjectPermission.Read, resolvedBy: PlaylistProject)
            .OpensToShareLinks(ShareScope.Playlist)
            .WithSummary("Get a playlist with its items in order, each with its media version in full").ProducesErrors(401, 404).ServesRevision();
        group.MapPatch("/{playlistId}", UpdatePlaylist).WithName("UpdatePlaylist").RequireProject(ProjectPermission.Write, resolvedBy: PlaylistProject)
            .WithSummary("Change an open playlist's name, description or review date").ProducesErrors(400, 401, 403, 404, 409, 415).ChecksIfMatch();
        group.MapDelete("/{playlistId}", DeletePlaylist).WithName("DeletePlaylist").RequireProject(ProjectPermission.Write, resolvedBy: PlaylistProject)
            .WithSummary("Archive a playlist (status archived): it leaves lists and stays readable by id").ProducesErrors(401, 403, 404).ChecksIfMatch();
        group.MapPost("/{playlistId}/items", AddItem).WithName("AddPlaylistItem").RequireProject(ProjectPermission.Write, resolvedBy: PlaylistProject)
            .WithSummary("Add a media version, or a task's newest version (followLatest: keep showing the newest), at a position or at the end; answers the playlist")
            .ProducesErrors(400, 401, 403, 404, 409, 415, 422).ChecksIfMatch();
        group.MapPatch("/{playlistId}/items/{itemId}", DecideItem).WithName("UpdatePlaylistItem").RequireProject(ProjectPermission.Write, resolvedBy: PlaylistProject)
            .WithSummary("Set an item's review decision and notes (both, as sent); a decision pins the version a followLatest item shows")
            .ProducesErrors(400, 401, 403, 404, 409, 415).ChecksIfMatch();
        group.MapDelete("/{playlistId}/items/{itemId}", RemoveItem).WithName("RemovePlaylistItem").RequireProject(ProjectPermission.Write, resolvedBy: PlaylistProject)
            .WithSummary("Remove an item; the items after it move up").ProducesErrors(401, 403, 404, 409).ChecksIfMatch();
        group.MapPost("/{playlistId}/items/{itemId}/bump", BumpItem).WithName("BumpPlaylistItem").RequireProject(ProjectPermission.Write, resolvedBy: PlaylistProject)
            .WithSummary("Pin the newest version of the item's task; a decision taken on an older version is cleared").ProducesErrors(401, 403, 404, 409, 422).ChecksIfMatch();
        group.MapPut("/{playlistId}/order", Reorder).WithName("ReorderPlaylist").RequireProject(ProjectPermission.Write, resolvedBy: PlaylistProject)
            .WithSummary("Put the items in a new order: the body lists every item id exactly once").ProducesErrors(400, 401, 403, 404, 409, 415).ChecksIfMatch()
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "Every item id of the playlist, each once, in the new order",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Array,
                                MaxItems = PlaylistRules.MaxItems,
                                Items = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = InputLimits.OpaqueValueLength },
                            },
                        },
                    },
                };
                return Task.CompletedTask;
            });
        group.MapPost("/{playlistId}/close", Close).WithName("ClosePlaylist").RequireProject(ProjectPermission.Approve, resolvedBy: PlaylistProject)
            .WithSummary("Apply every item's decision as its media's approval (moving tasks as approving does) and close the playlist, all or nothing")
            .ProducesErrors(401, 403, 404, 409, 422).ChecksIfMatch();
        group.MapPlaylistSharingApi(PlaylistProject);
    }

    public static readonly ProjectResolver PlaylistProject =
        ProjectResolver.FromLookup<PlaylistQueries>("playlistId", "Playlist", (playlists, id, ct) => playlists.ProjectIdOfAsync(id, ct));

    public sealed record ListQuery(
        [property: FromQuery(Name = "page"), Description("Page number, from 1; ignored when cursor is given")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from a previous page's nextCursor, valid with the same order")] string? Cursor,
        [property: FromQuery(Name = "project_id"), Description("Project id")] string? ProjectId,
        [property: FromQuery(Name = "status"), Description("open, closed or archived; left out: open and closed")] string? Status,
        [property: FromQuery(Name = "order"), Description("By creation time: desc (default, newest first) or asc")] string? Order);

    private static async Task<Results<Ok<ListEnvelope<PlaylistSummary, PlaylistFilters>>, ApiError>> ListPlaylists(
        [AsParameters] ListQuery query, PlaylistQueries playlists, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var filters = new PlaylistFilters
        {
            ProjectId = QueryValues.Text(query.ProjectId),
            Status = QueryValues.OneOf(QueryValues.Text(query.Status), "status", PlaylistRules.Statuses, problems),
        };
        var order = QueryValues.OneOf(QueryValues.Text(query.Order)?.ToLowerInvariant(), "order", ["asc", "desc"], problems) ?? "desc";
        var after = ReadCursor(page.Cursor, order, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        if (filters.ProjectId is { } projectId && ProjectAccess.Check(caller, projectId, ProjectPermission.Read) is { } hidden)
        {
            return hidden;
        }

        var (rows, total, hasMore) = await playlists.ListAsync(filters, ProjectAccess.Readable(caller), order == "desc", page, after, ct);
        var next = hasMore ? Cursor.Encode(new PlaylistCursor(order, DateTime.SpecifyKind(rows[^1].CreatedAt, DateTimeKind.Utc), rows[^1].Id)) : null;
        return TypedResults.Ok(new ListEnvelope<PlaylistSummary, PlaylistFilters>(
            rows.Select(r => r.ToSummary()).ToList(), total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, filters)
        { LegacyItemsKey = "playlists" });
    }

    /// <summary>A cursor continues only the order it was made for.</summary>
    private static PlaylistCursor? ReadCursor(string? raw, string order, ValidationProblems problems)
    {
        if (raw is null)
        {
            return null;
        }

        if (!Cursor.TryDecode<PlaylistCursor>(raw, out var cursor) || cursor is null || cursor.Id is null || cursor.Order != order)
        {
            problems.Add("cursor", "The cursor is not valid for this order; start again without it", ErrorCodes.InvalidFormat);
            return null;
        }

        return cursor;
    }

    private static async Task<Results<Created<Playlist>, ApiError>> CreatePlaylist(CreatePlaylistRequest body, PlaylistChanges changes, Caller caller, CancellationToken ct)
    {
        var outcome = await changes.CreateAsync(body, caller, ct);
        return outcome.Error is { } error ? error : TypedResults.Created($"/api/v1/playlists/{outcome.Playlist!.Id}", outcome.Playlist);
    }

    private static async Task<Results<Ok<Playlist>, ApiError>> GetPlaylist(string playlistId, PlaylistReader reader, CancellationToken ct) =>
        await reader.FindAsync(playlistId, ct) is { } playlist ? TypedResults.Ok(playlist) : PlaylistRules.NotFound(playlistId);

    private static async Task<Results<Ok<Playlist>, ApiError>> UpdatePlaylist(
        string playlistId, UpdatePlaylistRequest body, IfMatch ifMatch, PlaylistChanges changes, Caller caller, CancellationToken ct) =>
        Answer(await changes.UpdateAsync(playlistId, body, ifMatch, caller, ct));

    private static async Task<Results<Ok<Playlist>, ApiError>> DeletePlaylist(string playlistId, IfMatch ifMatch, PlaylistChanges changes, Caller caller, CancellationToken ct) =>
        Answer(await changes.ArchiveAsync(playlistId, ifMatch, caller, ct));

    private static async Task<Results<Created<Playlist>, ApiError>> AddItem(
        string playlistId, AddPlaylistItemRequest body, IfMatch ifMatch, PlaylistItemChanges items, Caller caller, CancellationToken ct)
    {
        var outcome = await items.AddAsync(playlistId, body, ifMatch, caller, ct);
        return outcome.Error is { } error ? error : TypedResults.Created($"/api/v1/playlists/{playlistId}", outcome.Playlist);
    }

    private static async Task<Results<Ok<Playlist>, ApiError>> DecideItem(
        string playlistId, string itemId, UpdatePlaylistItemRequest body, IfMatch ifMatch, PlaylistItemChanges items, Caller caller, CancellationToken ct) =>
        Answer(await items.DecideAsync(playlistId, itemId, body, ifMatch, caller, ct));

    private static async Task<Results<Ok<Playlist>, ApiError>> RemoveItem(
        string playlistId, string itemId, IfMatch ifMatch, PlaylistItemChanges items, Caller caller, CancellationToken ct) =>
        Answer(await items.RemoveAsync(playlistId, itemId, ifMatch, caller, ct));

    private static async Task<Results<Ok<Playlist>, ApiError>> BumpItem(
        string playlistId, string itemId, IfMatch ifMatch, PlaylistItemChanges items, Caller caller, CancellationToken ct) =>
        Answer(await items.BumpAsync(playlistId, itemId, ifMatch, caller, ct));

    private static async Task<Results<Ok<Playlist>, ApiError>> Reorder(
        string playlistId, [FromBody] List<string?>? itemIds, IfMatch ifMatch, PlaylistItemChanges items, Caller caller, CancellationToken ct) =>
        Answer(await items.ReorderAsync(playlistId, itemIds, ifMatch, caller, ct));

    private static async Task<Results<Ok<Playlist>, ApiError>> Close(string playlistId, IfMatch ifMatch, PlaylistClosing closing, Caller caller, CancellationToken ct) =>
        Answer(await closing.CloseAsync(playlistId, ifMatch, caller, ct));

    private static Results<Ok<Playlist>, ApiError> Answer(PlaylistOutcome outcome) =>
        outcome.Error is { } error ? error : TypedResults.Ok(outcome.Playlist!);
}
