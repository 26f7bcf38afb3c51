using Microsoft.Extensions.Options;
using Montu.Server.Features.Annotations.Rendering;
using Montu.Server.Features.Media;
using Montu.Server.Features.Media.Processing;
using Montu.Server.Infrastructure.Concurrency;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Storage;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Annotations;

/// <summary>
/// <c>GET /annotations/{id}/image</c>: the note's frame, as the frame route gives it, with its drawing
/// burned in. The answer changes only with the note's revision, so its ETag is that revision (with the
/// media's id) and a matching <c>If-None-Match</c> is answered before any frame is read or drawn on.
/// </summary>
public sealed class AnnotationImage(AnnotationQueries annotations, MediaQueries media, MediaViews views, IFileStore store, IOptions<ProcessingOptions> options)
{
    public const string CacheControl = "private";

    public async Task<IResult> RenderAsync(string annotationId, HttpContext http, CancellationToken ct)
    {
        if (await annotations.FindAsync(annotationId, ct) is not { } note)
        {
            return AnnotationChanges.NotFound(annotationId);
        }

        if (await media.FindAsync(note.MediaId, ct) is not { } version)
        {
            return MediaChanges.NotFound(note.MediaId);
        }

        if (FrameOf(note, version) is not { } frame)
        {
            return ApiError.Conflict(version.MediaType is ContentSniffer.Video
                ? $"Annotation {Quote.Of(note.Id)} is on the whole of video {Quote.Of(version.Id)}, not on one of its frames: it has no picture to draw on"
                : $"Annotation {Quote.Of(note.Id)} is on media {Quote.Of(version.Id)} ({version.MediaType}): it has no picture to draw on");
        }

        var tag = $"{version.Id}-r{note.Revision}";
        if (EntityTags.Parse(http.Request.Headers.IfNoneMatch) is { } held && (held.Any || held.Tags.Any(t => t.Value == tag)))
        {
            return Tagged(http, tag, TypedResults.StatusCode(StatusCodes.Status304NotModified));
        }

        var (file, missing) = await views.FrameFileAsync(version, frame, ct);
        if (missing is not null)
        {
            return missing;
        }

        await using var content = await store.OpenReadAsync(file!.Key, 0, null, ct);
        if (content is null)
        {
            return ApiError.NotFound("The frame is gone from storage");
        }

        using var jpeg = new MemoryStream();
        await content.CopyToAsync(jpeg, ct);
        var shapes = BurnInShapes.Of(note.Drawing is null ? null : StorageJson.Read<AnnotationDrawing>(note.Drawing));
        try
        {
            return Tagged(http, tag, TypedResults.Bytes(DrawingRenderer.Render(jpeg.GetBuffer().AsSpan(0, (int)jpeg.Length), shapes, options.Value.MaxPixels), "image/jpeg"));
        }
        catch (UndecodableFrameException e)
        {
            return ApiError.Conflict($"Frame {frame} of media {Quote.Of(version.Id)} cannot be drawn on: {e.Message}");
        }
    }

    /// <summary>The frame the note is on: its frame, or a still's one frame; null when there is no picture to draw on.</summary>
    private static long? FrameOf(AnnotationRow note, MediaRow version) => version.MediaType switch
    {
        ContentSniffer.Video => note.FrameNumber,
        ContentSniffer.Image => note.FrameNumber ?? AnnotationFrames.Of(version).First,
        _ => null,
    };

    private static IResult Tagged(HttpContext http, string tag, IResult result)
    {
        http.Response.Headers.ETag = $"\"{tag}\"";
        http.Response.Headers.CacheControl = CacheControl;
        return result;
    }
}
