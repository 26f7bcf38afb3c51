using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Storage;
using Montu.Server.Infrastructure.WireFormat;

namespace Montu.Server.Features.Media.Processing;

/// <summary>
/// The files of a media version: the original, its thumbnail, its browser stream and single
/// frames, each answered like the original (ETag, one Range), or with a 302 to a presigned URL
/// when <c>S3_REDIRECT</c> says so. What processing has not made yet is a 404 with
/// <c>Retry-After: 2</c>; what it could not make is a 404 that says why.
/// </summary>
public sealed class MediaViews(
    IFileStore store, StorageSettings storage, MediaQueries media, MediaRenditions renditions, IOptions<ProcessingOptions> options,
    IConfiguration configuration)
{
    private static readonly TimeSpan PresignedLifetime = TimeSpan.FromMinutes(15);
    private readonly string _workRoot = Path.Combine(ProcessingOptions.WorkRoot(configuration), "frames");

    public async Task<IResult> DownloadAsync(string id, CancellationToken ct) =>
        await media.FindAsync(id, ct) is { } row
            ? Serve(row.StorageKey, row.SizeBytes, row.ContentType, Hex(row.Checksum), row.FileName)
            : MediaChanges.NotFound(id);

    public async Task<IResult> ThumbnailAsync(string id, CancellationToken ct)
    {
        if (await media.FindAsync(id, ct) is not { } row)
        {
            return MediaChanges.NotFound(id);
        }

        return NotMade(row, "thumbnail") ?? await ServeDerivedAsync(row.ThumbnailKey!, "image/jpeg", ct);
    }

    public async Task<IResult> StreamAsync(string id, CancellationToken ct)
    {
        if (await media.FindAsync(id, ct) is not { } row)
        {
            return MediaChanges.NotFound(id);
        }

        if (NotMade(row, "stream") is { } missing)
        {
            return missing;
        }

        return row.StreamKey == row.StorageKey
            ? Serve(row.StorageKey, row.SizeBytes, row.ContentType, Hex(row.Checksum), null)
            : await ServeDerivedAsync(row.StreamKey!, row.StreamKey!.EndsWith(".mp4", StringComparison.Ordinal) ? "video/mp4" : "image/png", ct);
    }

    /// <summary>Frame <paramref name="frameText"/> of a video or still, numbered from its first frame; made once, then kept.</summary>
    public async Task<IResult> FrameAsync(string id, string frameText, CancellationToken ct)
    {
        if (!long.TryParse(frameText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var frame))
        {
            return ApiError.Validation(new FieldError("frame", $"Frame {Quote.Of(frameText)} is not a frame number", ErrorCodes.InvalidFormat));
        }

        if (await media.FindAsync(id, ct) is not { } row)
        {
            return MediaChanges.NotFound(id);
        }

        var (file, error) = await FrameFileAsync(row, frame, ct);
        return error ?? ServeDerived(file!, "image/jpeg");
    }

    /// <summary>
    /// The stored JPEG of frame <paramref name="frame"/> of a video or still, made on first request;
    /// or why there is none (404, with <c>Retry-After</c> while processing runs), as the frame route answers.
    /// </summary>
    public async Task<(StoredFile? File, ApiError? Error)> FrameFileAsync(MediaRow row, long frame, CancellationToken ct)
    {
        var id = row.Id;
        if (row.MediaType is not (ContentSniffer.Video or ContentSniffer.Image))
        {
            return (null, ApiError.NotFound($"Media {Quote.Of(id)} is {row.MediaType}: it has no frames"));
        }

        if (NotMade(row, "frames") is { } missing)
        {
            return (null, missing);
        }

        var metadata = StorageJson.Read<MediaMetadata>(row.Metadata);
        var (first, count) = (metadata.FirstFrame ?? 0, metadata.FrameCount ?? 1);
        if (frame < first || frame >= first + count)
        {
            return (null, ApiError.NotFound($"Media {Quote.Of(id)} has frames {first} to {first + count - 1}; there is no frame {frame}"));
        }

        var key = $"{MediaRules.FramePrefix(id)}{frame.ToString(CultureInfo.InvariantCulture)}.jpg";
        if (await store.FindAsync(key, ct) is { } kept)
        {
            return (kept, null);
        }

        if (await MakeFrameAsync(row, metadata, frame - first, key, ct) is { } failed)
        {
            return (null, failed);
        }

        return await store.FindAsync(key, ct) is { } made ? (made, null) : (null, ApiError.NotFound("The file is gone from storage"));
    }

    private async Task<ApiError?> MakeFrameAsync(MediaRow row, MediaMetadata metadata, long index, string key, CancellationToken ct)
    {
        Directory.CreateDirectory(_workRoot);
        var file = Path.Combine(_workRoot, Guid.NewGuid().ToString("N") + ".jpg");
        try
        {
            var input = store.ProgramInput(row.StorageKey, options.Value.Timeout);
            await renditions.FrameAsync(row, FrameRate.Parse(metadata.FrameRateExact), index, input, file, ct);
            if (!File.Exists(file))
            {
                return ApiError.NotFound($"ffmpeg found no picture at frame {index + (metadata.FirstFrame ?? 0)} of media {Quote.Of(row.Id)}");
            }

            await using var content = File.OpenRead(file);
            await store.WriteAsync(key, content, ct);
            return null;
        }
        catch (MediaToolException e)
        {
            return ApiError.NotFound($"The frame could not be made: {e.Message}");
        }
        catch (IOException)
        {
            if (await store.FindAsync(key, CancellationToken.None) is null)
            {
                throw;
            }

            // Another request made the same frame first.
            return null;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Why a derived file cannot be served yet, or at all; null when processing made it.</summary>
    private static ApiError? NotMade(MediaRow row, string what)
    {
        var id = Quote.Of(row.Id);
        return row.ProcessingStatus switch
        {
            _ when row.MediaType is not (ContentSniffer.Image or ContentSniffer.Video or ContentSniffer.Audio) =>
                ApiError.NotFound($"Media {id} is not a picture, video or sound ({row.FileExtension}): it has no {what}; download the original"),
            MediaProcessing.PendingStatus => new ApiError(StatusCodes.Status404NotFound, $"The {what} of media {id} is being made; retry in 2 seconds") { RetryAfterSeconds = 2 },
            MediaProcessing.FailedStatus => ApiError.NotFound($"Media {id} could not be processed, so it has no {what}: {row.ProcessingError}"),
            _ when (what == "thumbnail" ? row.ThumbnailKey : row.StreamKey) is null && what != "frames" => ApiError.NotFound($"Media {id} has no {what}"),
            _ => null,
        };
    }

    private async Task<IResult> ServeDerivedAsync(string key, string contentType, CancellationToken ct) =>
        await store.FindAsync(key, ct) is { } file ? ServeDerived(file, contentType) : ApiError.NotFound("The file is gone from storage");

    private IResult ServeDerived(StoredFile file, string contentType) => Serve(file.Key, file.Size, contentType, DerivedTag(file.Key, file), null);

    private IResult Serve(string key, long size, string contentType, string etag, string? downloadName) =>
        storage.RedirectDownloads && store.CanPresign
            ? TypedResults.Redirect(store.PresignedUrl(key, PresignedLifetime, downloadName, contentType).ToString())
            : new StoredFileResult(store, key, size, contentType, etag, downloadName);

    /// <summary>Derived files are made once per key; a remade one has another time.</summary>
    private static string DerivedTag(string key, StoredFile file) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}\n{file.Size}\n{file.LastModified.ToUnixTimeMilliseconds()}")))[..32];

    private static string Hex(string checksum) => checksum.Replace("sha256:", "", StringComparison.Ordinal);
}
