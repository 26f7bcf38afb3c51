using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Tests;

/// <summary>
/// The server keeping its files in a fresh bucket of the S3 test server, under a key prefix; the
/// database is as for <see cref="TestApp"/>. The server is s3rver, which <c>./test.sh</c> starts and
/// names in <c>MONTU_TEST_S3</c>. Without it the fixture starts nothing, and the tests of its
/// classes (<see cref="StorageFactAttribute"/>) show as skipped with the reason.
/// </summary>
/// <remarks>
/// A test class written once runs on both backends as an abstract class taking a <see cref="TestApp"/>,
/// and two subclasses of a line each: one with <c>IClassFixture&lt;TestApp&gt;</c>, one with
/// <c>IClassFixture&lt;S3TestApp&gt;</c> (see <c>Infrastructure/Storage/FileStoreContractTests.cs</c>).
/// A class needing more settings derives a fixture from each.
/// </remarks>
public class S3TestApp : TestApp
{
    public const string KeyPrefix = "studio/media";

    /// <summary>s3rver's built-in account; it accepts no other.</summary>
    private const string AccessKey = "S3RVER";

    public static readonly Uri? Endpoint = Environment.GetEnvironmentVariable("MONTU_TEST_S3") is { Length: > 0 } url ? new Uri(url) : null;

    public S3TestApp()
    {
        Bucket = "montu-test-" + Guid.NewGuid().ToString("N")[..12];
        Settings["MONTU_STORAGE"] = $"s3://{Bucket}/{KeyPrefix}";
        Settings["S3_ENDPOINT"] = Endpoint?.ToString();
        Settings["AWS_ACCESS_KEY_ID"] = AccessKey;
        Settings["AWS_SECRET_ACCESS_KEY"] = AccessKey;
    }

    public string Bucket { get; }

    /// <summary>A client of the test server, seeing the whole bucket rather than the server's prefix.</summary>
    public static AmazonS3Client BucketClient() =>
        StorageServices.S3Client(new S3Settings("unused", "", Endpoint, "us-east-1", new BasicAWSCredentials(AccessKey, AccessKey)));

    public override async Task InitializeAsync()
    {
        if (Endpoint is null)
        {
            return;
        }

        using (var s3 = BucketClient())
        {
            await s3.PutBucketAsync(Bucket);
        }

        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Endpoint is null)
        {
            return;
        }

        using var s3 = BucketClient();
        await foreach (var item in s3.Paginators.ListObjectsV2(new ListObjectsV2Request { BucketName = Bucket }).S3Objects)
        {
            await s3.DeleteObjectAsync(Bucket, item.Key);
        }

        await s3.DeleteBucketAsync(Bucket);
    }
}
