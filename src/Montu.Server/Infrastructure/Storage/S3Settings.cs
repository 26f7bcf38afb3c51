using System.Text.RegularExpressions;
using Amazon.Runtime;

namespace Montu.Server.Infrastructure.Storage;

/// <summary>
/// <c>MONTU_STORAGE=s3://bucket/prefix</c> with <c>S3_ENDPOINT</c> (an S3-compatible server, addressed
/// path-style; unset for Amazon S3), <c>S3_REGION</c> (default <c>us-east-1</c>) and
/// <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c> (unset: the SDK's usual sources, such as an
/// instance role). Objects are kept under <see cref="Prefix"/>, which is empty or ends with <c>/</c>.
/// </summary>
public sealed partial record S3Settings(string Bucket, string Prefix, Uri? Endpoint, string Region, AWSCredentials? Credentials)
{
    private const string Scheme = "s3://";

    public static S3Settings From(string storage, IConfiguration configuration)
    {
        var location = storage.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? storage[Scheme.Length..] : null;
        var bucket = location?.Split('/', 2)[0];
        var prefix = location?.Split('/', 2) is [_, var rest] ? rest.Trim('/') : "";
        if (bucket is null || !BucketName().IsMatch(bucket) || (prefix.Length > 0 && !StorageKeys.IsValid(prefix)))
        {
            throw new InvalidOperationException(
                $"MONTU_STORAGE must be s3://bucket or s3://bucket/prefix (a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens), or unset for the local directory; not '{storage}'");
        }

        return new S3Settings(bucket, prefix.Length > 0 ? prefix + "/" : "", EndpointFrom(configuration), RegionFrom(configuration), CredentialsFrom(configuration));
    }

    private static Uri? EndpointFrom(IConfiguration configuration) => configuration["S3_ENDPOINT"] switch
    {
        null or "" => null,
        var value when Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) => url,
        var value => throw new InvalidOperationException($"S3_ENDPOINT must be an http:// or https:// URL, not '{value}'"),
    };

    private static string RegionFrom(IConfiguration configuration) =>
        configuration["S3_REGION"] is { Length: > 0 } region ? region : "us-east-1";

    private static BasicAWSCredentials? CredentialsFrom(IConfiguration configuration) =>
        (configuration["AWS_ACCESS_KEY_ID"], configuration["AWS_SECRET_ACCESS_KEY"]) switch
        {
            ({ Length: > 0 } id, { Length: > 0 } secret) => new BasicAWSCredentials(id, secret),
            (null or "", null or "") => null,
            _ => throw new InvalidOperationException("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together: set both, or neither to use the SDK's usual sources"),
        };

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
