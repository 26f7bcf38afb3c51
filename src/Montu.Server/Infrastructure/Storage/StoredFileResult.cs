using System.Globalization;
using Microsoft.Net.Http.Headers;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Infrastructure.Storage;

/// <summary>
/// Answers with a stored object the way players and download managers expect: <c>ETag</c> and
/// <c>If-None-Match</c> (304), <c>Accept-Ranges: bytes</c> and one <c>Range</c> (206, or 416 past
/// the end), and <c>Content-Disposition: attachment</c> with the RFC 6266 <c>filename*</c> when a
/// download name is given. Only the bytes asked for are read from the store, whichever backend.
/// </summary>
public sealed class StoredFileResult(IFileStore store, string key, long size, string contentType, string etag, string? downloadName) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        var tag = new EntityTagHeaderValue($"\"{etag}\"");
        response.Headers.ETag = tag.ToString();
        response.Headers.AcceptRanges = "bytes";
        if (request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } ifNoneMatch && ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var (offset, length, ranged) = (0L, size, false);
        if (SingleRange(request) is { } range)
        {
            if (range.From is null && range.To is null || Resolve(range) is not { } resolved)
            {
                response.Headers.ContentRange = $"bytes */{size}";
                await ErrorWriter.WriteAsync(httpContext, StatusCodes.Status416RangeNotSatisfiable, ErrorCodes.RangeNotSatisfiable,
                    $"The range asked for lies outside the file's {size} bytes");
                return;
            }

            (offset, length, ranged) = (resolved.Offset, resolved.Length, true);
        }

        await using var content = await store.OpenReadAsync(key, offset, length, httpContext.RequestAborted);
        if (content is null)
        {
            response.Headers.RetryAfter = "2";
            await ErrorWriter.WriteAsync(httpContext, StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The file is still being stored; retry in a moment");
            return;
        }

        if (downloadName is not null)
        {
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(downloadName);
            response.Headers.ContentDisposition = disposition.ToString();
        }

        response.StatusCode = ranged ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        if (ranged)
        {
            response.Headers.ContentRange = $"bytes {offset}-{offset + length - 1}/{size}";
        }

        ApiDocuments.MarkStoredFile(httpContext);
        response.ContentType = contentType;
        response.ContentLength = length;
        await content.CopyToAsync(response.Body, httpContext.RequestAborted);
    }

    /// <summary>The one byte range asked for; several ranges are answered whole (RFC 9110 allows it), as is a header we cannot read.</summary>
    private static RangeItemHeaderValue? SingleRange(HttpRequest request) =>
        RangeHeaderValue.TryParse(request.Headers.Range.ToString(), out var range)
        && range.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase) && range.Ranges.Count == 1
            ? range.Ranges.Single()
            : null;

    /// <summary>The offset and length of a range within the file, or null when it starts past the end.</summary>
    private (long Offset, long Length)? Resolve(RangeItemHeaderValue range)
    {
        if (range.From is null)
        {
            var suffix = Math.Min(range.To!.Value, size);
            return suffix == 0 ? null : (size - suffix, suffix);
        }

        var from = range.From.Value;
        if (from >= size)
        {
            return null;
        }

        var to = Math.Min(range.To ?? size - 1, size - 1);
        return to < from ? null : (from, to - from + 1);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{key} ({size} bytes)");
}
