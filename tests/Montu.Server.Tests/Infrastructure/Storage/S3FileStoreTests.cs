using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Tests.Infrastructure.Storage;

/// <summary>The storage contract on a bucket of the S3 test server, with what only S3 has: a key prefix, presigned URLs, copies in parts.</summary>
public sealed class S3FileStoreTests(S3TestApp app) : FileStoreContractTests<S3TestApp>(app), IClassFixture<S3TestApp>
{
    [StorageFact]
    public async Task Objects_are_kept_in_the_bucket_under_the_configured_prefix()
    {
        await Store.WriteAsync(Key("sh010/v001.exr"), new PatternStream(123), default);

        Assert.IsType<S3FileStore>(Store);
        using var s3 = S3TestApp.BucketClient();
        var stored = await s3.GetObjectMetadataAsync(App.Bucket, $"{S3TestApp.KeyPrefix}/{Key("sh010/v001.exr")}");
        Assert.Equal(123, stored.ContentLength);
    }

    [StorageFact]
    public async Task A_presigned_url_fetches_the_object_without_credentials_as_a_named_download()
    {
        await Store.WriteAsync(Key("v003.exr"), new PatternStream(5000), default);

        var url = Store.PresignedUrl(Key("v003.exr"), TimeSpan.FromMinutes(15), "lighting beauty é v003.exr", "image/x-exr");

        Assert.True(Store.CanPresign);
        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-exr", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("lighting beauty é v003.exr", response.Content.Headers.ContentDisposition?.FileNameStar);
        await PatternStream.AssertHolds(await response.Content.ReadAsStreamAsync(), 0, 5000);
    }

    [StorageFact]
    public async Task Moving_an_object_too_large_for_one_copy_copies_it_in_parts()
    {
        var settings = App.Services.GetRequiredService<StorageSettings>().S3!;
        using var s3 = new PartCountingClient(settings);
        // A copy of more than 5 GiB, scaled down: above 1 MB objects are copied in parts of 300 kB.
        var store = new S3FileStore(s3, settings, NullLogger<S3FileStore>.Instance) { LargestSingleCopy = 1_000_000, CopyPartSize = 300_000 };
        await store.WriteAsync(Key("uploads/big"), new PatternStream(1_000_001), default);

        await store.MoveAsync(Key("uploads/big"), Key("media/big.mov"), default);

        Assert.Equal(4, s3.CopiedParts);
        Assert.Null(await store.FindAsync(Key("uploads/big"), default));
        await using var read = await store.OpenReadAsync(Key("media/big.mov"), 0, null, default);
        await PatternStream.AssertHolds(read!, 0, 1_000_001);
        Assert.Empty(await WritesInProgress(Folder));
    }

    protected override async Task<IReadOnlyList<string>> WritesInProgress(string folder)
    {
        using var s3 = S3TestApp.BucketClient();
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = App.Bucket, Prefix = $"{S3TestApp.KeyPrefix}/{folder}" });
        return uploads.MultipartUploads?.Select(upload => upload.Key).ToList() ?? [];
    }

    private sealed class PartCountingClient(S3Settings settings) : AmazonS3Client(settings.Credentials, StorageServices.S3Config(settings))
    {
        public int CopiedParts { get; private set; }

        public override Task<CopyPartResponse> CopyPartAsync(CopyPartRequest request, CancellationToken cancellationToken = default)
        {
            CopiedParts++;
            return base.CopyPartAsync(request, cancellationToken);
        }
    }
}
