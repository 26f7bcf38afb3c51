using Microsoft.AspNetCore.Http.HttpResults;
using Montu.Server.Features.Media;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Idempotency;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.OpenApi;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// Resumable uploads at <c>/api/v1/uploads</c>: the tus 1.0 protocol with its creation,
/// creation-with-upload, termination and expiration extensions (docs/decisions/0019). A
/// finished upload is a media version made exactly as <c>POST /media</c> makes one.
/// </summary>
public static class UploadsApi
{
    public static IServiceCollection AddMontuUploads(this IServiceCollection services) => services
        .AddSingleton<UploadQueries>()
        .AddSingleton<UploadTermination>()
        .AddSingleton<UploadCompletion>()
        .AddSingleton<UploadAppends>()
        .AddSingleton<UploadCreation>()
        .AddSingleton<UploadPartSweep>()
        .AddSingleton<IJobHandler, UploadExpiry>();

    public static void MapUploadsApi(this RouteGroupBuilder api)
    {
        var maxFileSize = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<MediaOptions>().MaxFileSize;
        var group = api.MapGroup("/uploads").WithTags("Uploads").AddEndpointFilter(TusProtocol.RequireVersionAsync)
            .RefusesIdempotencyKeys("a resumable upload is retried by asking where it stands (HEAD) and sending from Upload-Offset");
        var length = ApiHeader.Bytes(TusProtocol.LengthHeader, "The file's size in bytes, at most Tus-Max-Size", maxFileSize);
        var offset = ApiHeader.Bytes(TusProtocol.OffsetHeader, "The bytes the upload holds", maxFileSize);
        var expires = ApiHeader.Text(TusProtocol.ExpiresHeader, "When the upload and its bytes are removed (24 h after its creation), as an HTTP date; while unfinished", 64);
        var mediaId = ApiHeader.Text(TusProtocol.MediaIdHeader, "Once the last byte arrived: the media version the upload became, at /api/v1/media/{id}", InputLimits.OpaqueValueLength);

        group.MapMethods("/", [HttpMethods.Options], Describe).WithName("DescribeUploads").RequireSignedIn()
            .WithSummary("What this tus server speaks: its version, extensions and largest file (Tus-Version, Tus-Extension, Tus-Max-Size)")
            .ProducesErrors(401)
            .AnswersHeaders(StatusCodes.Status204NoContent,
                ApiHeader.Fixed(TusProtocol.VersionHeader, "The tus versions spoken", TusProtocol.Version),
                ApiHeader.Fixed(TusProtocol.ExtensionHeader, "The tus extensions spoken", TusProtocol.Extensions),
                ApiHeader.Bytes(TusProtocol.MaxSizeHeader, "The largest file accepted (MAX_FILE_SIZE)", maxFileSize))
            .SpeaksTus(readsVersion: false);
        group.MapPost("/", Create).WithName("CreateUpload").RequireSignedIn()
            .WithSummary("Create a resumable upload (tus creation): Upload-Length, and Upload-Metadata holding filename, task_id or project_id, version, description, tags")
            .WithDescription("""
                Upload-Metadata is a comma-separated list of keys, each followed by a space and its value in base64:
                `filename` (required), `task_id` (a version of the task) or `project_id` (a reference file of the project),
                `version` (v003 or 3; a taken version is 409), `description`, `tags` (comma-separated); camelCase keys are accepted,
                `filetype` is accepted and not used. Everything POST /media checks is checked here, before a byte is sent.
                A body of application/offset+octet-stream carries the first bytes (creation-with-upload).
                """)
            .DocumentsBytesBody(TusProtocol.BytesContentType, required: false, "The first bytes of the file, if any (creation-with-upload)").WithBodyLimit(maxFileSize)
            .ReadsHeaders(required: true, length, ApiHeader.Text(TusProtocol.MetadataHeader, "key base64value pairs, comma-separated: filename is required", 32 * 1024))
            .ProducesErrors(400, 401, 403, 404, 409, 412, 413, 415, 422)
            .AnswersHeaders(StatusCodes.Status201Created, ApiHeader.Text("Location", "The upload's address, for HEAD, PATCH and DELETE", 256), expires,
                ApiHeader.Bytes(TusProtocol.OffsetHeader, "With a body: the bytes the upload holds", maxFileSize), mediaId)
            .SpeaksTus();
        group.MapMethods("/{uploadId}", [HttpMethods.Head], Head).WithName("GetUploadOffset").RequireSignedIn()
            .WithSummary("Where an upload stands: the bytes it holds (Upload-Offset) and its length; only its creator sees it")
            .ProducesErrors(401, 404, 412)
            .AnswersHeaders(StatusCodes.Status200OK, offset, length, expires, mediaId,
                ApiHeader.Text(TusProtocol.MetadataHeader, "The metadata sent at creation", 32 * 1024),
                ApiHeader.Fixed("Cache-Control", "An upload's offset changes with every PATCH", "no-store"))
            .SpeaksTus();
        group.MapPatch("/{uploadId}", Append).WithName("AppendToUpload").RequireSignedIn()
            .WithSummary("Send bytes of an upload from Upload-Offset (application/offset+octet-stream); the last byte makes the media version")
            .WithDescription("""
                The body is stored as it arrives; if the connection drops, the bytes that arrived are kept and HEAD says
                where to resume. An Upload-Offset other than the upload's is 409, as is a PATCH that another one, started
                later from the same offset, took over from. Bytes past Upload-Length are 413. A file whose first bytes are
                not what its extension says is 415 and the upload is removed. The PATCH that brings the last byte answers
                Upload-Media-Id, the media version the upload became.
                """)
            .DocumentsBytesBody(TusProtocol.BytesContentType, required: true, "The bytes from Upload-Offset on, at most to Upload-Length").WithBodyLimit(maxFileSize)
            .ReadsHeaders(required: true, offset)
            .ProducesErrors(400, 401, 403, 404, 409, 412, 413, 415, 422)
            .AnswersHeaders(StatusCodes.Status204NoContent, offset, expires, mediaId)
            .SpeaksTus();
        group.MapDelete("/{uploadId}", Terminate).WithName("TerminateUpload").RequireSignedIn()
            .WithSummary("Stop an upload and remove its bytes (tus termination); a media version it became stays")
            .ProducesErrors(401, 404, 412)
            .SpeaksTus();
    }

    /// <summary>
    /// The headers of the protocol itself: every answer says its version; a request must say it
    /// (<paramref name="readsVersion"/>), and is 412, naming the versions spoken, when it does not.
    /// </summary>
    private static RouteHandlerBuilder SpeaksTus(this RouteHandlerBuilder builder, bool readsVersion = true)
    {
        var version = ApiHeader.Fixed(TusProtocol.VersionHeader, "The tus versions spoken", TusProtocol.Version);
        if (readsVersion)
        {
            builder.ReadsHeaders(required: true, ApiHeader.Fixed(TusProtocol.ResumableHeader, "The tus version spoken: 1.0.0; another or none is 412", TusProtocol.Version))
                .AnswersHeaders(StatusCodes.Status412PreconditionFailed, version);
        }

        return builder.AlwaysAnswersHeaders(ApiHeader.Fixed(TusProtocol.ResumableHeader, "The tus version of this answer", TusProtocol.Version));
    }

    private static NoContent Describe(HttpResponse response, MediaOptions options)
    {
        response.Headers[TusProtocol.VersionHeader] = TusProtocol.Version;
        response.Headers[TusProtocol.ExtensionHeader] = TusProtocol.Extensions;
        response.Headers[TusProtocol.MaxSizeHeader] = options.MaxFileSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<ResumableUpload>, ApiError>> Create(
        HttpRequest request, HttpResponse response, UploadCreation creation, Caller caller, CancellationToken ct)
    {
        var (upload, progress) = await creation.CreateAsync(request, caller, ct);
        if (progress.Error is { } error)
        {
            return error;
        }

        if (TusProtocol.SendsBytes(request))
        {
            response.Headers[TusProtocol.OffsetHeader] = Bytes(progress.Offset);
        }

        WriteProgress(response, upload!, progress);
        return TypedResults.Created($"{TusProtocol.BasePath}/{upload!.Id}", ResumableUpload.From(upload, progress));
    }

    private static async Task<Results<Ok, ApiError>> Head(string uploadId, HttpResponse response, UploadTermination uploads, Caller caller, CancellationToken ct)
    {
        var (upload, notFound) = await uploads.FindOwnAsync(uploadId, caller, ct);
        if (upload is null)
        {
            return notFound!;
        }

        response.Headers.CacheControl = "no-store";
        response.Headers[TusProtocol.OffsetHeader] = Bytes(upload.UploadOffset);
        response.Headers[TusProtocol.LengthHeader] = Bytes(upload.UploadLength);
        if (upload.UploadMetadata.Length > 0)
        {
            response.Headers[TusProtocol.MetadataHeader] = upload.UploadMetadata;
        }

        WriteProgress(response, upload, new UploadProgress(upload.UploadOffset, upload.MediaId, null));
        return TypedResults.Ok();
    }

    private static async Task<Results<NoContent, ApiError>> Append(string uploadId, HttpRequest request, HttpResponse response, UploadAppends appends, Caller caller)
    {
        var (upload, progress) = await appends.PatchAsync(uploadId, request, caller);
        if (progress.Error is { } error)
        {
            return error;
        }

        response.Headers[TusProtocol.OffsetHeader] = Bytes(progress.Offset);
        WriteProgress(response, upload!, progress);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ApiError>> Terminate(string uploadId, UploadTermination uploads, Caller caller, CancellationToken ct)
    {
        var (upload, notFound) = await uploads.FindOwnAsync(uploadId, caller, ct);
        return upload is not null && await uploads.RemoveAsync(upload.Id) ? TypedResults.NoContent() : notFound!;
    }

    /// <summary>An unfinished upload says when it expires; a finished one, what it became.</summary>
    private static void WriteProgress(HttpResponse response, UploadRow upload, UploadProgress progress)
    {
        if (progress.MediaId is { } media)
        {
            response.Headers[TusProtocol.MediaIdHeader] = media;
        }
        else
        {
            response.Headers[TusProtocol.ExpiresHeader] = TusProtocol.HttpDate(upload.ExpiresAt);
        }
    }

    private static string Bytes(long count) => count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
