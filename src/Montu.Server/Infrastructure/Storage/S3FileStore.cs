using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Net.Http.Headers;

namespace Montu.Server.Infrastructure.Storage;

/// <summary>
/// Objects in an S3 bucket (Amazon S3 or an S3-compatible server), under the configured key prefix.
/// A write reads its stream one part at a time: a small object is one PutObject, a larger one a
/// multipart upload that is aborted when the write fails, so a bucket never holds a partial object.
/// Each part is sent from memory with a plain body (<c>UseChunkEncoding = false</c>): the SDK can
/// sign and retry it as a whole, and S3-compatible servers need not speak the aws-chunked encoding.
/// </summary>
public sealed class S3FileStore(IAmazonS3 s3, S3Settings settings, ILogger<S3FileStore> logger) : IFileStore
{
    /// <summary>
    /// S3 allows 10,000 parts of at least 5 MiB: 16 MiB parts reach 156 GiB, far past any upload
    /// limit, and each write in progress holds one part in memory.
    /// </summary>
    public const int PartSize = 16 * 1024 * 1024;

    /// <summary>S3's conditional write: fails with 412 when the key already holds an object.</summary>
    internal const string OnlyIfAbsent = "*";

    private readonly string _bucket = settings.Bucket;

    public bool CanPresign => true;

    /// <summary>The largest object one CopyObject may copy (5 GiB); a larger one is copied in parts.</summary>
    internal long LargestSingleCopy { get; init; } = 5L * 1024 * 1024 * 1024;

    internal long CopyPartSize { get; init; } = 1024L * 1024 * 1024;

    public async Task<long> WriteAsync(string key, Stream content, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        // The conditional write below is what holds under races; asking first fails before any
        // byte is sent, and on S3-compatible servers that ignore If-None-Match.
        if (await HeadAsync(objectKey, ct) is not null)
        {
            throw AlreadyExists(key);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            var filled = await ReadPartAsync(content, buffer, ct);
            return filled < PartSize ? await PutAsync(objectKey, buffer, filled, ct) : await PutInPartsAsync(objectKey, content, buffer, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw AlreadyExists(key, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<StoredFile?> FindAsync(string key, CancellationToken ct) =>
        await HeadAsync(ObjectKey(key), ct) is { } head ? new StoredFile(key, head.ContentLength, LastModified(head.LastModified)) : null;

    public async Task<Stream?> OpenReadAsync(string key, long offset, long? length, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        if (length == 0)
        {
            return await HeadAsync(objectKey, ct) is null ? null : Stream.Null;
        }

        var request = new GetObjectRequest { BucketName = _bucket, Key = objectKey };
        // Without a range an empty object reads as empty; a range starting at its end is 416.
        if (offset > 0 || length is not null)
        {
            request.ByteRange = length is { } count ? new ByteRange(offset, offset + count - 1) : new ByteRange($"bytes={offset}-");
        }

        try
        {
            return (await s3.GetObjectAsync(request, ct)).ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // Reading from past the end gives nothing, as from a file.
            return Stream.Null;
        }
    }

    /// <summary>S3 has no rename: the object is copied on the server (in parts above 5 GiB), then the source deleted.</summary>
    public async Task MoveAsync(string fromKey, string toKey, CancellationToken ct)
    {
        var (source, target) = (ObjectKey(fromKey), ObjectKey(toKey));
        var size = (await HeadAsync(source, ct))?.ContentLength ?? throw new FileNotFoundException($"No object at '{fromKey}'", fromKey);
        if (await HeadAsync(target, ct) is not null)
        {
            throw AlreadyExists(toKey);
        }

        try
        {
            if (size <= LargestSingleCopy)
            {
                await s3.CopyObjectAsync(new CopyObjectRequest
                {
                    SourceBucket = _bucket,
                    SourceKey = source,
                    DestinationBucket = _bucket,
                    DestinationKey = target,
                    IfNoneMatch = OnlyIfAbsent,
                }, ct);
            }
            else
            {
                await CopyInPartsAsync(source, target, size, ct);
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw AlreadyExists(toKey, e);
        }

        // The copy is made: a move cancelled now would leave the object at both keys.
        await s3.DeleteObjectAsync(_bucket, source, CancellationToken.None);
    }

    public async Task DeleteAsync(string key, CancellationToken ct) => await s3.DeleteObjectAsync(_bucket, ObjectKey(key), ct);

    public async IAsyncEnumerable<StoredFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var pages = s3.Paginators.ListObjectsV2(new ListObjectsV2Request { BucketName = _bucket, Prefix = settings.Prefix + prefix });
        await foreach (var item in pages.S3Objects.WithCancellation(ct))
        {
            yield return new StoredFile(item.Key[settings.Prefix.Length..], item.Size ?? 0, LastModified(item.LastModified));
        }
    }

    public string ProgramInput(string key, TimeSpan lifetime) => PresignedUrl(key, lifetime, null).ToString();

    public Uri PresignedUrl(string key, TimeSpan lifetime, string? downloadFileName, string? contentType = null)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = ObjectKey(key),
            Verb = HttpVerb.GET,
            // The SDK signs with its own clock and turns Expires into a lifetime counted from it.
            Expires = DateTime.UtcNow + lifetime,
            Protocol = settings.Endpoint?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS,
        };
        if (downloadFileName is not null)
        {
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(downloadFileName);
            request.ResponseHeaderOverrides.ContentDisposition = disposition.ToString();
        }

        if (contentType is not null)
        {
            request.ResponseHeaderOverrides.ContentType = contentType;
        }

        return new Uri(s3.GetPreSignedURL(request));
    }

    private async Task<long> PutAsync(string objectKey, byte[] buffer, int count, CancellationToken ct)
    {
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = objectKey,
            InputStream = new MemoryStream(buffer, 0, count, writable: false),
            UseChunkEncoding = false,
            IfNoneMatch = OnlyIfAbsent,
        }, ct);
        return count;
    }

    /// <summary>Sends the part already in <paramref name="buffer"/>, then the rest of the stream one part at a time.</summary>
    private async Task<long> PutInPartsAsync(string objectKey, Stream content, byte[] buffer, CancellationToken ct)
    {
        var upload = await S3MultipartUpload.StartAsync(s3, _bucket, objectKey, logger, ct);
        try
        {
            long size = 0;
            for (var filled = PartSize; filled > 0; filled = await ReadPartAsync(content, buffer, ct))
            {
                await upload.SendPartAsync(buffer, filled, ct);
                size += filled;
            }

            await upload.CompleteAsync();
            return size;
        }
        catch
        {
            await upload.AbortAsync();
            throw;
        }
    }

    private async Task CopyInPartsAsync(string source, string target, long size, CancellationToken ct)
    {
        var upload = await S3MultipartUpload.StartAsync(s3, _bucket, target, logger, ct);
        try
        {
            for (long first = 0; first < size; first += CopyPartSize)
            {
                await upload.CopyPartAsync(source, first, Math.Min(first + CopyPartSize, size) - 1, ct);
            }

            await upload.CompleteAsync();
        }
        catch
        {
            await upload.AbortAsync();
            throw;
        }
    }

    /// <summary>Fills <paramref name="buffer"/> with the next part; shorter only at the end of the stream.</summary>
    private static async Task<int> ReadPartAsync(Stream content, byte[] buffer, CancellationToken ct) =>
        await content.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, ct);

    private async Task<GetObjectMetadataResponse?> HeadAsync(string objectKey, CancellationToken ct)
    {
        try
        {
            return await s3.GetObjectMetadataAsync(_bucket, objectKey, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private string ObjectKey(string key) => settings.Prefix + StorageKeys.Checked(key);

    private static DateTimeOffset LastModified(DateTime? time) => time is { } value ? new DateTimeOffset(value.ToUniversalTime()) : DateTimeOffset.UnixEpoch;

    private static IOException AlreadyExists(string key, Exception? inner = null) => new($"An object already exists at '{key}'", inner);
}
