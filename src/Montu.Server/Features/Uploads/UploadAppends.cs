using System.Globalization;
using Montu.Server.Features.Media;
using Montu.Server.Infrastructure;
using Montu.Server.Infrastructure.Access;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// <c>PATCH /uploads/{id}</c> (and the bytes a creation carries): the body streams to a part object
/// of its own, <c>uploads/tus/{upload}/{offset}.{patch}</c>, never held whole in memory, and the
/// offset moves past it once it is stored. The PATCH that started last from the current offset
/// holds the upload; one started earlier stores its bytes and then finds it may not record them
/// (409), so two PATCHes never both add bytes at one offset. The PATCH that brings the last byte
/// makes the media version (<see cref="UploadCompletion"/>).
/// </summary>
public sealed class UploadAppends(
    IFileStore store, UploadQueries uploads, UploadTermination termination, UploadCompletion completion, IdGenerator ids,
    TimeProvider time, IHostApplicationLifetime lifetime)
{
    /// <summary>
    /// The upload as it was before the PATCH, and where it stands now. The client's going away
    /// cancels nothing here: what it sent before is stored.
    /// </summary>
    public async Task<(UploadRow? Upload, UploadProgress Progress)> PatchAsync(string uploadId, HttpRequest request, Caller caller)
    {
        var (upload, notFound) = await termination.FindOwnAsync(uploadId, caller, lifetime.ApplicationStopping);
        return upload is null ? (null, notFound!) : (upload, await PatchAsync(upload, request, caller));
    }

    private async Task<UploadProgress> PatchAsync(UploadRow upload, HttpRequest request, Caller caller)
    {
        if (!TusProtocol.SendsBytes(request))
        {
            return TusProtocol.NotBytes();
        }

        var problems = new ValidationProblems();
        if (TusProtocol.ReadBytes(request, TusProtocol.OffsetHeader, problems) is not { } offset)
        {
            return problems.ToError();
        }

        if (upload.IsComplete)
        {
            return ApiError.Conflict($"The upload is complete: it became media {Quote.Of(upload.MediaId)}");
        }

        return offset == upload.UploadOffset
            ? await AppendAsync(upload, request, caller)
            : ApiError.Conflict($"{TusProtocol.OffsetHeader} is {offset}, but the upload holds {upload.UploadOffset} bytes: send the bytes from there (HEAD says where an upload stands)",
                new FieldError(TusProtocol.OffsetHeader, $"The upload holds {upload.UploadOffset} bytes", ErrorCodes.InvalidValue));
    }

    /// <summary>
    /// Adds the body at the upload's offset. Once the body has started, the work goes on to its
    /// end even if the client has gone: a client that lost its connection asks HEAD where the
    /// upload stands and finds the bytes that did arrive.
    /// </summary>
    public async Task<UploadProgress> AppendAsync(UploadRow upload, HttpRequest request, Caller caller)
    {
        var remaining = upload.UploadLength - upload.UploadOffset;
        if (request.ContentLength > remaining)
        {
            return new ApiError(StatusCodes.Status413PayloadTooLarge,
                $"The body of {request.ContentLength} bytes goes past {TusProtocol.LengthHeader}: {remaining} more bytes complete this upload");
        }

        var stopping = lifetime.ApplicationStopping;
        var patchId = ids.NewId("patch");
        if (!await uploads.HoldAsync(upload.Id, upload.UploadOffset, patchId, Now(), stopping))
        {
            return Moved();
        }

        FileHeader? header = null;
        if (upload.UploadOffset < Math.Min(ContentSniffer.HeaderLength, upload.UploadLength))
        {
            try
            {
                header = new FileHeader(upload.FileName, upload.FileExtension, upload.UploadLength, await StoredPrefixAsync(upload, stopping));
            }
            catch (UploadRefusedException removed)
            {
                return removed.Error;
            }
        }

        var part = new UploadPart { StartOffset = upload.UploadOffset, StorageKey = PartKey(upload.Id, upload.UploadOffset, patchId) };
        await using var body = new PatchStream(request.Body, remaining, header, stopping);
        try
        {
            part.Size = await store.WriteAsync(part.StorageKey, body, stopping);
        }
        catch (UploadRefusedException refused)
        {
            // A file that is not what its name says is refused whole; bytes past the end only cost this PATCH.
            if (refused.Error.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            {
                await termination.RemoveAsync(upload.Id);
            }

            return refused.Error;
        }

        if (part.Size == 0)
        {
            await store.DeleteAsync(part.StorageKey, CancellationToken.None);
            return new UploadProgress(upload.UploadOffset, null, null);
        }

        if (part.Size == remaining)
        {
            return await completion.CompleteAsync(upload, part, patchId, header?.Kind, body.Checksum, caller);
        }

        if (!await uploads.AddPartAsync(upload.Id, patchId, part, Now(), CancellationToken.None))
        {
            await store.DeleteAsync(part.StorageKey, CancellationToken.None);
            return Moved();
        }

        return new UploadProgress(upload.UploadOffset + part.Size, null, null);
    }

    /// <summary>Part keys sort by offset, and two PATCHes from one offset write different objects.</summary>
    public static string PartKey(string uploadId, long offset, string patchId) =>
        $"{PartPrefix}{uploadId}/{offset.ToString("D15", CultureInfo.InvariantCulture)}.{patchId}";

    public const string PartPrefix = "uploads/tus/";

    /// <summary>409 for a PATCH that another one, started later from the same offset, replaced, or that the upload moved past.</summary>
    public static ApiError Moved() =>
        ApiError.Conflict("Another PATCH of this upload took over from this offset, or went past it; ask HEAD where the upload stands");

    /// <summary>The bytes already stored, when fewer than the file sniffer reads arrived before this PATCH.</summary>
    private async Task<byte[]> StoredPrefixAsync(UploadRow upload, CancellationToken ct)
    {
        var prefix = new byte[upload.UploadOffset];
        await using var stored = new PartsStream(store, await uploads.PartsAsync(upload.Id, ct));
        await stored.ReadExactlyAsync(prefix, ct);
        return prefix;
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
