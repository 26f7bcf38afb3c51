using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Features.Media.Processing;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Idempotency;
using Montu.Server.Infrastructure.OpenApi;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Media;

public static class MediaApi
{
    public static IServiceCollection AddMontuMedia(this IServiceCollection services, IConfiguration configuration) => services
        .AddSingleton(MediaOptions.From(configuration))
        .AddSingleton<MediaQueries>()
        .AddSingleton<MediaCommit>()
        .AddSingleton<MediaUploads>()
        .AddSingleton<MediaChanges>()
        .AddSingleton<MediaApprovals>()
        .AddSingleton<UploadSweep>()
        .AddMediaProcessing(configuration);

    public static void MapMediaApi(this RouteGroupBuilder api)
    {
        var options = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<MediaOptions>();
        var group = api.MapGroup("/media").WithTags("Media");
        group.MapGet("/", ListMedia).WithName("ListMedia").RequireSignedIn()
            .WithSummary("List media versions of the projects you can read: filters, sort, page or cursor").ProducesErrors(400, 401, 404);
        group.MapPost("/", UploadMedia).WithName("UploadMedia").RequireSignedIn()
            .WithSummary("Upload a media version (multipart/form-data): the file, and task_id or project_id, version, description, tags")
            .DocumentsFormBody<MediaUploadForm>().WithBodyLimit(options.MaxFileSize + InputLimits.UploadFieldsBytes + 64 * 1024)
            .TakesIdempotencyKeys(RequestSameness.StreamedBody)
            .ProducesErrors(400, 401, 403, 404, 409, 413, 415, 422).TagsRevision();
        group.MapGet("/{mediaId}", GetMedia).WithName("GetMedia").OpensToShareLinks(ShareScope.Media).RequireProject(ProjectPermission.Read, resolvedBy: MediaProject)
            .WithSummary("Get a media version").ProducesErrors(401, 404).ServesRevision();
        group.MapPatch("/{mediaId}", UpdateMedia).WithName("UpdateMedia").RequireProject(ProjectPermission.WriteAssigned, resolvedBy: MediaProject)
            .WithSummary("Change a media version's description and tags (its author, or write on the project)").ProducesErrors(400, 401, 403, 404, 415)
            .ChecksIfMatch();
        group.MapPut("/{mediaId}", UpdateMedia).WithName("ReplaceMedia").RequireProject(ProjectPermission.WriteAssigned, resolvedBy: MediaProject)
            .WithSummary("Change a media version's description and tags (as PATCH; kept for v2.0 clients)").ProducesErrors(400, 401, 403, 404, 415)
            .ChecksIfMatch();
        group.MapDelete("/{mediaId}", DeleteMedia).WithName("DeleteMedia").RequireProject(ProjectPermission.WriteAssigned, resolvedBy: MediaProject)
            .WithSummary("Delete a media version and its files (its author, or write on the project)").ProducesErrors(401, 403, 404).ChecksIfMatch();
        group.MapGet("/{mediaId}/download", (string mediaId, MediaViews views, CancellationToken ct) => views.DownloadAsync(mediaId, ct)).WithName("DownloadMedia")
            .RequireProjectOrSignedLink(ProjectPermission.Read, MediaProject, "mediaId", MediaLinks.Download)
            .WithSummary("The original file: ETag, If-None-Match (304), one byte Range (206, 416 past the end); a signed link needs no token")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream").Produces<Stream>(StatusCodes.Status206PartialContent, "application/octet-stream")
            .Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status304NotModified).ProducesErrors(401, 404, 416);
        group.MapGet("/{mediaId}/thumbnail", (string mediaId, MediaViews views, CancellationToken ct) => views.ThumbnailAsync(mediaId, ct)).WithName("GetMediaThumbnail").OpensToShareLinks(ShareScope.Media)
            .RequireProjectOrSignedLink(ProjectPermission.Read, MediaProject, "mediaId", MediaLinks.Thumbnail)
            .WithSummary("A JPEG, longest side 320 px (a video's frame at 1 s, a still, a sound's waveform); 404 with Retry-After while it is being made")
            .Produces<Stream>(StatusCodes.Status200OK, "image/jpeg").Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status304NotModified)
            .ProducesErrors(401, 404, 416);
        group.MapGet("/{mediaId}/stream", (string mediaId, MediaViews views, CancellationToken ct) => views.StreamAsync(mediaId, ct)).WithName("StreamMedia").OpensToShareLinks(ShareScope.Media)
            .RequireProjectOrSignedLink(ProjectPermission.Read, MediaProject, "mediaId", MediaLinks.Stream)
            .WithSummary("What a browser plays or shows: an H.264 MP4 proxy with a keyframe every 2 frames, a PNG preview of EXR, DPX and TIFF, or the original; with Range")
            .Produces<Stream>(StatusCodes.Status200OK, "video/mp4", "image/png", "image/jpeg", "audio/wav", "audio/mpeg", "audio/aac", "audio/flac")
            .Produces<Stream>(StatusCodes.Status206PartialContent, "video/mp4")
            .Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status304NotModified).ProducesErrors(401, 404, 416);
        group.MapGet("/{mediaId}/frames/{frame}", (string mediaId, string frame, MediaViews views, CancellationToken ct) => views.FrameAsync(mediaId, frame, ct))
            .WithName("GetMediaFrame").OpensToShareLinks(ShareScope.Media).RequireProject(ProjectPermission.Read, resolvedBy: MediaProject)
            .WithSummary("A JPEG of one frame of a video or still, numbered from the media's firstFrame (else from 0); frame-accurate, kept after the first request")
            .Produces<Stream>(StatusCodes.Status200OK, "image/jpeg").Produces(StatusCodes.Status304NotModified).ProducesErrors(400, 401, 404, 416);
        group.MapPost("/{mediaId}/links", CreateLink).WithName("CreateMediaLink").RequireProject(ProjectPermission.Read, resolvedBy: MediaProject).NeverCompressed()
            .RefusesIdempotencyKeys("its answer is a signed link, which works without a token and is never stored for replays")
            .WithSummary("A signed URL that fetches the file without a token until it expires (at most 24 h), for <video> and <img>")
            .ProducesErrors(400, 401, 404, 415);
        group.MapPost("/{mediaId}/approve", ApproveMedia).WithName("ApproveMedia").RequireProject(ProjectPermission.Approve, resolvedBy: MediaProject)
            .WithSummary("Review a media version (admins, producers, production managers, supervisors, directors); moves its task's status")
            .ProducesErrors(400, 401, 403, 404, 415, 422).ChecksIfMatch();
        api.MapGet("/tasks/{taskId}/media", ListTaskMedia).WithName("ListTaskMedia").WithTags("Media")
            .RequireProject(ProjectPermission.Read, resolvedBy: TaskProject)
            .WithSummary("A task's media versions, newest first").ProducesErrors(401, 404);
    }

    private static readonly ProjectResolver MediaProject =
        ProjectResolver.FromLookup<MediaQueries>("mediaId", "Media", (media, id, ct) => media.ProjectIdOfAsync(id, ct));

    private static readonly ProjectResolver TaskProject =
        ProjectResolver.FromLookup<TaskQueries>("taskId", "Task", (tasks, id, ct) => tasks.ProjectIdOfAsync(id, ct));

    public sealed record ListQuery(
        [property: FromQuery(Name = "page"), Description("Page number, from 1; ignored when cursor is given")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from a previous page's nextCursor, valid with the same sort and order")] string? Cursor,
        [property: FromQuery(Name = "project_id"), Description("Project id")] string? ProjectId,
        [property: FromQuery(Name = "task_id"), Description("Task id")] string? TaskId,
        [property: FromQuery(Name = "media_type"), Description("image, video, audio, document or other")] string? MediaType,
        [property: FromQuery(Name = "file_type"), Description("File extension, with or without the dot: exr or .exr")] string? FileType,
        [property: FromQuery(Name = "author"), Description("The uploader's user id")] string? Author,
        [property: FromQuery(Name = "approval_status"), Description("pending, approved, rejected or needs_revision")] string? ApprovalStatus,
        [property: FromQuery(Name = "tags"), Description("Comma-separated tags; media having all of them")] string? Tags,
        [property: FromQuery(Name = "version"), Description("Version, such as v003 or 3")] string? Version,
        [property: FromQuery(Name = "search"), Description("Substring of the file name, description or tags; case-insensitive")] string? Search,
        [property: FromQuery(Name = "created_since"), Description("Uploaded at or after this ISO 8601 time")] string? CreatedSince,
        [property: FromQuery(Name = "sort"), Description("created_at (default), version or file_name")] string? Sort,
        [property: FromQuery(Name = "order"), Description("asc (default) or desc")] string? Order);

    private static async Task<Results<Ok<ListEnvelope<MediaItem, MediaFilters>>, ApiError>> ListMedia(
        [AsParameters] ListQuery query, MediaQueries media, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(query.Page, query.PageSize, query.Cursor, problems);
        var filters = MediaListing.Filters(query, problems);
        var sort = MediaSort.Parse(query.Sort, query.Order, problems);
        var after = sort.ReadCursor(page.Cursor, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        if (filters.ProjectId is { } projectId && ProjectAccess.Check(caller, projectId, ProjectPermission.Read) is { } hidden)
        {
            return hidden;
        }

        var (rows, total, hasMore) = await media.ListAsync(filters, ProjectAccess.Readable(caller), sort, page, after, ct);
        var next = hasMore ? sort.CursorAfter(rows[^1]) : null;
        return TypedResults.Ok(new ListEnvelope<MediaItem, MediaFilters>(
            rows.Select(r => r.ToItem()).ToList(), total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, filters)
        { LegacyItemsKey = "media" });
    }

    private static async Task<Results<Created<MediaItem>, ApiError>> UploadMedia(HttpRequest request, MediaUploads uploads, Caller caller, CancellationToken ct)
    {
        var outcome = await uploads.UploadAsync(request, caller, ct);
        return outcome.Error is { } error ? error : TypedResults.Created($"/api/v1/media/{outcome.Media!.Id}", outcome.Media);
    }

    private static async Task<Results<Ok<MediaItem>, ApiError>> GetMedia(string mediaId, MediaQueries media, CancellationToken ct) =>
        await media.FindAsync(mediaId, ct) is { } row ? TypedResults.Ok(row.ToItem()) : MediaChanges.NotFound(mediaId);

    private static async Task<Results<Ok<MediaItem>, ApiError>> UpdateMedia(
        string mediaId, UpdateMediaRequest body, IfMatch ifMatch, MediaChanges changes, Caller caller, CancellationToken ct)
    {
        var outcome = await changes.UpdateAsync(mediaId, body, ifMatch, caller, ct);
        return outcome.Error is { } error ? error : TypedResults.Ok(outcome.Media!);
    }

    private static async Task<Results<NoContent, ApiError>> DeleteMedia(string mediaId, IfMatch ifMatch, MediaChanges changes, Caller caller, CancellationToken ct) =>
        await changes.DeleteAsync(mediaId, ifMatch, caller, ct) is { } error ? error : TypedResults.NoContent();

    private static async Task<Results<Ok<MediaLink>, ApiError>> CreateLink(
        string mediaId, CreateMediaLinkRequest body, MediaQueries media, SignedLinks links, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var (purpose, lifetime) = MediaLinks.Read(body, problems);
        if (problems.Any)
        {
            return problems.ToError();
        }

        if (await media.FindAsync(mediaId, ct) is null)
        {
            return MediaChanges.NotFound(mediaId);
        }

        var (query, expiresAt) = links.Sign(mediaId, purpose, lifetime);
        return TypedResults.Ok(new MediaLink($"/api/v1/media/{mediaId}/{purpose}{query}", expiresAt.UtcDateTime));
    }

    private static async Task<Results<Ok<MediaItem>, ApiError>> ApproveMedia(
        string mediaId, ApproveMediaRequest body, IfMatch ifMatch, MediaApprovals approvals, Caller caller, CancellationToken ct)
    {
        var outcome = await approvals.ApproveAsync(mediaId, body, ifMatch, caller, ct);
        return outcome.Error is { } error ? error : TypedResults.Ok(outcome.Media!);
    }

    private static async Task<Ok<IReadOnlyList<MediaItem>>> ListTaskMedia(string taskId, MediaQueries media, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<MediaItem>>((await media.ForTaskAsync(taskId, ct)).Select(r => r.ToItem()).ToList());
}
