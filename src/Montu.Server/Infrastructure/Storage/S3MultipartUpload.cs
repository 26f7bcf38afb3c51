using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Montu.Server.Infrastructure.Storage;

/// <summary>
/// One multipart upload to a key: parts are sent from memory or copied from another object, then
/// the upload is completed only if the key is still free, or aborted so that no part is kept.
/// </summary>
internal sealed class S3MultipartUpload
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _key;
    private readonly string _uploadId;
    private readonly ILogger _logger;
    private readonly List<PartETag> _parts = [];

    private S3MultipartUpload(IAmazonS3 s3, string bucket, string key, string uploadId, ILogger logger) =>
        (_s3, _bucket, _key, _uploadId, _logger) = (s3, bucket, key, uploadId, logger);

    public static async Task<S3MultipartUpload> StartAsync(IAmazonS3 s3, string bucket, string key, ILogger logger, CancellationToken ct)
    {
        var started = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, ct);
        return new S3MultipartUpload(s3, bucket, key, started.UploadId, logger);
    }

    public async Task SendPartAsync(byte[] buffer, int count, CancellationToken ct)
    {
        var part = await _s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _bucket,
            Key = _key,
            UploadId = _uploadId,
            PartNumber = _parts.Count + 1,
            InputStream = new MemoryStream(buffer, 0, count, writable: false),
            PartSize = count,
            UseChunkEncoding = false,
        }, ct);
        _parts.Add(new PartETag(_parts.Count + 1, part.ETag));
    }

    public async Task CopyPartAsync(string sourceKey, long firstByte, long lastByte, CancellationToken ct)
    {
        var part = await _s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = _bucket,
            SourceKey = sourceKey,
            DestinationBucket = _bucket,
            DestinationKey = _key,
            UploadId = _uploadId,
            PartNumber = _parts.Count + 1,
            FirstByte = firstByte,
            LastByte = lastByte,
        }, ct);
        _parts.Add(new PartETag(_parts.Count + 1, part.ETag));
    }

    /// <summary>
    /// Makes the object of the parts; 412 when the key is taken meanwhile. Not cancellable: every
    /// byte is sent, completing is short, and a completion cut off midway would leave it unknown
    /// whether the object exists.
    /// </summary>
    public async Task CompleteAsync() =>
        await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = _key,
            UploadId = _uploadId,
            PartETags = _parts,
            IfNoneMatch = S3FileStore.OnlyIfAbsent,
        }, CancellationToken.None);

    /// <summary>
    /// Drops the parts sent so far. If that fails too, they stay invisible (they are no object) but
    /// take space until the bucket's lifecycle rule for incomplete uploads removes them.
    /// </summary>
    public async Task AbortAsync()
    {
        try
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = _key, UploadId = _uploadId }, CancellationToken.None);
        }
        catch (AmazonServiceException e)
        {
            _logger.LogWarning(e, "Could not abort the multipart upload {UploadId} of {Key} in bucket {Bucket}; its parts stay until the bucket's lifecycle rule removes them",
                _uploadId, _key, _bucket);
        }
    }
}
