using System.Globalization;
using Microsoft.Net.Http.Headers;
using Montu.Server.Infrastructure.Errors;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// The fixed parts of tus 1.0 (https://tus.io/protocols/resumable-upload): its headers, the one
/// version and the extensions this server speaks, and the checks every request of
/// <c>/api/v1/uploads</c> goes through.
/// </summary>
public static class TusProtocol
{
    public const string Version = "1.0.0";

    /// <summary>Creation (and sending the first bytes with it), termination and expiration; no deferred length, checksums or concatenation.</summary>
    public const string Extensions = "creation,creation-with-upload,termination,expiration";

    /// <summary>The one body type of a PATCH (and of a creation that carries bytes).</summary>
    public const string BytesContentType = "application/offset+octet-stream";

    public const string ResumableHeader = "Tus-Resumable";
    public const string VersionHeader = "Tus-Version";
    public const string ExtensionHeader = "Tus-Extension";
    public const string MaxSizeHeader = "Tus-Max-Size";
    public const string LengthHeader = "Upload-Length";
    public const string OffsetHeader = "Upload-Offset";
    public const string MetadataHeader = "Upload-Metadata";
    public const string ExpiresHeader = "Upload-Expires";
    public const string DeferLengthHeader = "Upload-Defer-Length";

    /// <summary>Not part of tus: on the PATCH that stores the last byte (and HEAD after it), the media version the upload became.</summary>
    public const string MediaIdHeader = "Upload-Media-Id";

    public const string BasePath = "/api/v1/uploads";

    /// <summary>The headers a browser may read from these answers, beside the API's own (<c>CORS_ORIGINS</c>).</summary>
    public static readonly string[] ExposedHeaders = [ResumableHeader, VersionHeader, ExtensionHeader, MaxSizeHeader, LengthHeader, OffsetHeader, MetadataHeader, ExpiresHeader, MediaIdHeader];

    /// <summary>Every answer under <c>/api/v1/uploads</c> says which tus version it speaks, refusals before the handler included.</summary>
    public static void UseTusResumableHeader(this WebApplication app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(BasePath, StringComparison.Ordinal))
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[ResumableHeader] = Version;
                return Task.CompletedTask;
            });
        }

        return next(context);
    });

    /// <summary>
    /// Refuses a request that does not say it speaks tus 1.0.0 (OPTIONS, which asks what the
    /// server speaks, needs not): 412 naming the versions spoken.
    /// </summary>
    public static async ValueTask<object?> RequireVersionAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsOptions(request.Method) || request.Headers[ResumableHeader].ToString() == Version)
        {
            return await next(context);
        }

        context.HttpContext.Response.Headers[VersionHeader] = Version;
        var sent = request.Headers[ResumableHeader].ToString();
        return new ApiError(StatusCodes.Status412PreconditionFailed, sent.Length == 0
            ? $"Send {ResumableHeader}: {Version}: this is a tus {Version} endpoint"
            : $"{ResumableHeader} {Quote.Of(sent)} is not spoken here; send {ResumableHeader}: {Version}");
    }

    /// <summary>A whole number of bytes from <paramref name="header"/>; null, with the problem, when absent or not one.</summary>
    public static long? ReadBytes(HttpRequest request, string header, ValidationProblems problems)
    {
        var text = request.Headers[header].ToString();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
        {
            return bytes;
        }

        problems.Add(header, text.Length == 0
            ? $"Send {header}, a number of bytes"
            : $"{header} {Quote.Of(text)} is not a number of bytes", text.Length == 0 ? ErrorCodes.RequiredField : ErrorCodes.InvalidFormat);
        return null;
    }

    /// <summary>Whether the body is <c>application/offset+octet-stream</c>, parameters aside.</summary>
    public static bool SendsBytes(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals(BytesContentType, StringComparison.OrdinalIgnoreCase);

    public static ApiError NotBytes() =>
        new(StatusCodes.Status415UnsupportedMediaType, $"Send the bytes with Content-Type: {BytesContentType}");

    /// <summary><c>Upload-Expires</c> is an HTTP date (RFC 9110): <c>Wed, 25 Jun 2014 16:00:00 GMT</c>.</summary>
    public static string HttpDate(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToString("R", CultureInfo.InvariantCulture);
}
