using Montu.Server.Data;
using Montu.Server.Features.Media;
using Montu.Server.Features.Tasks;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Jobs;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// <c>POST /uploads</c> (tus creation): everything <c>POST /media</c> checks is checked here,
/// before a byte is sent: the metadata, the file's type, its size, where it goes and whether the
/// caller may put it there, a chosen version that is taken. The upload and its expiry job are
/// written in one transaction. A body of <c>application/offset+octet-stream</c> carries the first
/// bytes (creation-with-upload) and is appended as a PATCH would be.
/// </summary>
public sealed class UploadCreation(
    Db db, UploadQueries uploads, UploadAppends appends, MediaCommit commit, JobQueue jobs, IdGenerator ids, MediaOptions options, TimeProvider time)
{
    public async Task<(UploadRow? Upload, UploadProgress Progress)> CreateAsync(HttpRequest request, Caller caller, CancellationToken ct)
    {
        var problems = new ValidationProblems();
        if (request.Headers.ContainsKey(TusProtocol.DeferLengthHeader))
        {
            problems.Add(TusProtocol.DeferLengthHeader, $"A length sent later is not supported: send {TusProtocol.LengthHeader}");
        }

        var length = TusProtocol.ReadBytes(request, TusProtocol.LengthHeader, problems);
        if (length == 0)
        {
            problems.Add(TusProtocol.LengthHeader, "An empty file needs no resumable upload: send it to POST /api/v1/media", ErrorCodes.OutOfRange);
        }

        if (length > options.MaxFileSize)
        {
            return (null, new ApiError(StatusCodes.Status413PayloadTooLarge,
                $"The file of {length} bytes is larger than the {options.MaxFileSize} bytes this server accepts (MAX_FILE_SIZE)"));
        }

        var metadata = UploadMetadata.Parse(request.Headers[TusProtocol.MetadataHeader].ToString(), problems);
        if (problems.Any)
        {
            return (null, problems.ToError());
        }

        if ((MediaRules.RefuseType(metadata.Extension, options) ?? RefuseBody(request, length!.Value)) is { } refused)
        {
            return (null, refused);
        }

        var (projectId, denied) = await commit.AuthorizeAsync(metadata.Target, caller, ct);
        if (denied is not null)
        {
            return (null, denied);
        }

        var upload = NewUpload(request, metadata, projectId!, length!.Value, caller);
        var draft = new MediaDraft(upload.ProjectId, upload.TaskId, upload.VersionNumber, upload.Description, metadata.Tags);
        var placed = await db.InTransactionAsync(async tx =>
        {
            var (_, refused) = await commit.PlaceAsync(tx, draft, caller, ct);
            if (refused is null)
            {
                await uploads.InsertAsync(tx, upload, ct);
                await jobs.EnqueueAsync(tx, UploadExpiry.For(upload), ct);
            }

            return refused;
        }, ct);
        if (placed is not null)
        {
            return (null, placed);
        }

        var progress = TusProtocol.SendsBytes(request) ? await appends.AppendAsync(upload, request, caller) : new UploadProgress(0, null, null);
        return (upload, progress);
    }

    /// <summary>A body is the first bytes of the file, or nothing.</summary>
    private static ApiError? RefuseBody(HttpRequest request, long length)
    {
        if (!TusProtocol.SendsBytes(request))
        {
            return request.ContentLength > 0 || request.ContentType is not null ? TusProtocol.NotBytes() : null;
        }

        return request.ContentLength > length
            ? new ApiError(StatusCodes.Status413PayloadTooLarge, $"The body of {request.ContentLength} bytes is longer than {TusProtocol.LengthHeader} ({length})")
            : null;
    }

    private UploadRow NewUpload(HttpRequest request, UploadMetadata metadata, string projectId, long length, Caller caller)
    {
        var now = TaskChanges.Stored(time.GetUtcNow().UtcDateTime);
        return new UploadRow
        {
            Id = ids.NewId("upload"),
            CreatedBy = caller.UserId,
            ProjectId = projectId,
            TaskId = metadata.Target.TaskId,
            VersionNumber = metadata.Version,
            FileName = metadata.FileName,
            FileExtension = metadata.Extension,
            Description = metadata.Description,
            Tags = StorageJson.Write(metadata.Tags),
            UploadMetadata = request.Headers[TusProtocol.MetadataHeader].ToString(),
            UploadLength = length,
            ExpiresAt = now + UploadTermination.Lifetime,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
