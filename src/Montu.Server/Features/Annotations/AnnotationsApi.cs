using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Montu.Server.Features.Media;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.OpenApi;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Annotations;

public static class AnnotationsApi
{
    public static IServiceCollection AddMontuAnnotations(this IServiceCollection services) => services
        .AddSingleton<AnnotationQueries>()
        .AddSingleton<AnnotationListCache>()
        .AddSingleton<AnnotationMentions>()
        .AddSingleton<AnnotationChanges>()
        .AddSingleton<AnnotationExport>()
        .AddSingleton<AnnotationImage>();

    public static void MapAnnotationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/annotations").WithTags("Annotations");
        group.MapGet("/", ListAnnotations).WithName("ListAnnotations").OpensToShareLinks(ShareScope.AnnotationsOfMedia).RequireSignedIn()
            .WithSummary("List the notes on media of the projects you can read: filters, sort by frame or creation, page or cursor").ProducesErrors(400, 401, 404);
        group.MapGet("/export.csv", ExportAnnotations).WithName("ExportAnnotations").RequireSignedIn()
            .WithSummary("The notes a list with the same filters gives, as CSV: media, task, version, frame, timecode, author, type, status, content, replies")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").ProducesErrors(400, 401, 404);
        group.MapPost("/", CreateAnnotation).WithName("CreateAnnotation").OpensToShareLinks(ShareScope.NewAnnotation).RequireSignedIn()
            .WithSummary("Write a note on a media version, at a frame, with a drawing, or as a reply (annotate on the media's project: clients and viewers may)")
            .ProducesErrors(400, 401, 403, 404, 409, 415, 422).TagsRevision();
        group.MapGet("/{annotationId}", GetAnnotation).WithName("GetAnnotation").OpensToShareLinks(ShareScope.Annotation).RequireProject(ProjectPermission.Read, resolvedBy: AnnotationProject)
            .WithSummary("A note with its replies, oldest first").ProducesErrors(401, 404).ServesRevision();
        group.MapGet("/{annotationId}/image", (string annotationId, AnnotationImage image, HttpContext http, CancellationToken ct) => image.RenderAsync(annotationId, http, ct))
            .WithName("GetAnnotationImage").OpensToShareLinks(ShareScope.Annotation).RequireProject(ProjectPermission.Read, resolvedBy: AnnotationProject)
            .WithSummary("A JPEG of the note's frame (as GET /media/{id}/frames/{frame} gives it; a still's one frame) with its drawing burned in")
            .WithDescription("""
                The frame is the note's frameNumber; a note on a still without one uses the still. A note on a sound or
                document, or on a whole video without a frame, has no picture to draw on: 409. A frame not made yet is
                404 with Retry-After, as on the frame route. The ETag follows the note's revision: If-None-Match with it is 304.
                """)
            .Produces<Stream>(StatusCodes.Status200OK, "image/jpeg").Produces(StatusCodes.Status304NotModified).ProducesErrors(401, 404, 409)
            .ReadsHeaders(required: false, ImageTagHeader with { Name = "If-None-Match", Description = "The image's ETag: 304 with no body while the note is at that revision" })
            .AnswersHeaders(StatusCodes.Status200OK, ImageTagHeader, ImageCacheHeader)
            .AnswersHeaders(StatusCodes.Status304NotModified, ImageTagHeader, ImageCacheHeader);
        group.MapPatch("/{annotationId}", UpdateAnnotation).WithName("UpdateAnnotation").RequireProject(ProjectPermission.Annotate, resolvedBy: AnnotationProject)
            .WithSummary("Change a note: its author changes what it says and where; its author, or write on the project, resolves it")
            .ProducesErrors(400, 401, 403, 404, 409, 415, 422).ChecksIfMatch();
        group.MapPut("/{annotationId}", UpdateAnnotation).WithName("ReplaceAnnotation").RequireProject(ProjectPermission.Annotate, resolvedBy: AnnotationProject)
            .WithSummary("Change a note (as PATCH; kept for v2.0 clients)").ProducesErrors(400, 401, 403, 404, 409, 415, 422).ChecksIfMatch();
        group.MapDelete("/{annotationId}", ArchiveAnnotation).WithName("ArchiveAnnotation").RequireProject(ProjectPermission.Annotate, resolvedBy: AnnotationProject)
            .WithSummary("Archive a note (its author, or write on the project): it leaves lists and its thread, and stays readable by id")
            .ProducesErrors(401, 403, 404).ChecksIfMatch();
    }

    private static readonly ApiHeader ImageTagHeader = ApiHeader.Text("ETag", "The media's id and the note's revision, quoted; it changes with every change to the note", 128);

    private static readonly ApiHeader ImageCacheHeader = ApiHeader.Fixed("Cache-Control", "The image shows what only the note's readers may see", AnnotationImage.CacheControl);

    private static readonly ProjectResolver AnnotationProject =
        ProjectResolver.FromLookup<AnnotationQueries>("annotationId", "Annotation", (annotations, id, ct) => annotations.ProjectIdOfAsync(id, ct));

    public sealed record FilterQuery(
        [property: FromQuery(Name = "media_id"), Description("Media version id")] string? MediaId,
        [property: FromQuery(Name = "task_id"), Description("Task id")] string? TaskId,
        [property: FromQuery(Name = "project_id"), Description("Project id")] string? ProjectId,
        [property: FromQuery(Name = "author"), Description("The author's user id")] string? Author,
        [property: FromQuery(Name = "annotation_type"), Description("note, markup or approval")] string? AnnotationType,
        [property: FromQuery(Name = "status"), Description("active, resolved or archived; active and resolved when left out")] string? Status,
        [property: FromQuery(Name = "frame"), Description("Notes at this frame")] string? Frame,
        [property: FromQuery(Name = "frame_from"), Description("Notes at this frame or after")] string? FrameFrom,
        [property: FromQuery(Name = "frame_to"), Description("Notes at this frame or before")] string? FrameTo,
        [property: FromQuery(Name = "parent_id"), Description("A note's id for its replies, or none for first notes only")] string? ParentId,
        [property: FromQuery(Name = "updated_since"), Description("Changed at or after this ISO 8601 time")] string? UpdatedSince,
        [property: FromQuery(Name = "sort"), Description("frame (default: frame, then creation) or created_at")] string? Sort);

    public sealed record PageQuery(
        [property: FromQuery(Name = "page"), Description("Page number, from 1; ignored when cursor is given")] string? Page,
        [property: FromQuery(Name = "page_size"), Description("Items per page, 1 to 100 (default 50)")] string? PageSize,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from a previous page's nextCursor, valid with the same sort")] string? Cursor);

    private static async Task<Results<Ok<ListEnvelope<AnnotationItem, AnnotationFilters>>, FileContentHttpResult, ApiError>> ListAnnotations(
        [AsParameters] FilterQuery query, [AsParameters] PageQuery paging, AnnotationQueries annotations, AnnotationListCache cache, MediaQueries media,
        Caller caller, HttpContext http, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var page = PageRequest.Parse(paging.Page, paging.PageSize, paging.Cursor, problems);
        var (filters, sort) = (AnnotationListing.Filters(query, problems), AnnotationSort.Parse(query.Sort, problems));
        var after = sort.ReadCursor(page.Cursor, problems);
        if ((problems.Any ? problems.ToError() : Hidden(filters, caller)) is { } refused)
        {
            return refused;
        }

        var readable = ProjectAccess.Readable(caller);
        if (LegacyShape.IsRequested(http))
        {
            return TypedResults.Ok(await EnvelopeAsync(ct));
        }

        // A version's notes change only with its project's events, so its project's version keeps the page.
        var version = filters.ProjectId ?? (filters.MediaId is { } mediaId ? await media.ProjectIdOfAsync(mediaId, ct) : null);
        var body = await cache.GetAsync(AnnotationListCache.Key(filters, sort, page, readable), version,
            async () => JsonSerializer.SerializeToUtf8Bytes(await EnvelopeAsync(CancellationToken.None), WireJson.Default), ct);
        return TypedResults.Bytes(body, "application/json; charset=utf-8");

        // Shared with other requests for the page, so not cancelled with this one.
        async Task<ListEnvelope<AnnotationItem, AnnotationFilters>> EnvelopeAsync(CancellationToken token)
        {
            var (rows, total, hasMore) = await annotations.ListAsync(filters, readable, sort, page, after, token);
            var next = hasMore ? sort.CursorAfter(rows[^1]) : null;
            return new ListEnvelope<AnnotationItem, AnnotationFilters>(
                rows.Select(r => r.ToItem()).ToList(), total, page.Number, page.PageSize, PageRequest.TotalPages(total, page.PageSize), next, filters)
            { LegacyItemsKey = "annotations" };
        }
    }

    private static async Task<IResult> ExportAnnotations([AsParameters] FilterQuery query, AnnotationExport export, HttpContext http, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        var (filters, sort) = (AnnotationListing.Filters(query, problems), AnnotationSort.Parse(query.Sort, problems));
        if ((problems.Any ? problems.ToError() : Hidden(filters, caller)) is { } refused)
        {
            return refused;
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"annotations.csv\"";
        await export.WriteAsync(http.Response.Body, filters, ProjectAccess.Readable(caller), sort, ct);
        return TypedResults.Empty;
    }

    private static async Task<Results<Created<AnnotationItem>, ApiError>> CreateAnnotation(CreateAnnotationRequest body, AnnotationChanges changes, Caller caller, CancellationToken ct)
    {
        var outcome = await changes.CreateAsync(body, caller, ct);
        return outcome.Error is { } error ? error : TypedResults.Created($"/api/v1/annotations/{outcome.Annotation!.Id}", outcome.Annotation);
    }

    private static async Task<Results<Ok<AnnotationItem>, ApiError>> GetAnnotation(string annotationId, AnnotationQueries annotations, CancellationToken ct)
    {
        if (await annotations.FindAsync(annotationId, ct) is not { } row)
        {
            return AnnotationChanges.NotFound(annotationId);
        }

        var replies = row.ParentId is null ? await annotations.RepliesAsync(row.Id, ct) : [];
        return TypedResults.Ok(row.ToItem() with { Replies = replies.Select(r => r.ToItem()).ToList() });
    }

    private static async Task<Results<Ok<AnnotationItem>, ApiError>> UpdateAnnotation(
        string annotationId, UpdateAnnotationRequest body, IfMatch ifMatch, AnnotationChanges changes, Caller caller, CancellationToken ct)
    {
        var outcome = await changes.UpdateAsync(annotationId, body, ifMatch, caller, ct);
        return outcome.Error is { } error ? error : TypedResults.Ok(outcome.Annotation!);
    }

    private static async Task<Results<NoContent, ApiError>> ArchiveAnnotation(string annotationId, IfMatch ifMatch, AnnotationChanges changes, Caller caller, CancellationToken ct) =>
        await changes.ArchiveAsync(annotationId, ifMatch, caller, ct) is { } error ? error : TypedResults.NoContent();

    /// <summary>A project filter naming a project the caller cannot read is 404, as its own routes are.</summary>
    private static ApiError? Hidden(AnnotationFilters filters, Caller caller) =>
        filters.ProjectId is { } projectId ? ProjectAccess.Check(caller, projectId, ProjectPermission.Read) : null;
}
