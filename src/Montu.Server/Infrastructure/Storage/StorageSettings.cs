namespace Montu.Server.Infrastructure.Storage;

/// <summary>
/// Where stored files live, read once at start: <c>MONTU_STORAGE</c> unset keeps them in a local
/// directory; <c>MONTU_STORAGE=s3://bucket/prefix</c> puts them in a bucket. A value that cannot
/// be used stops the server with a message naming the setting, rather than failing at the first upload.
/// </summary>
/// <param name="S3">The bucket, or null for the local directory.</param>
/// <param name="RedirectDownloads">
/// <c>S3_REDIRECT=true</c>: downloads and streams answer with a redirect to a presigned URL of the
/// bucket instead of passing the bytes through the server.
/// </param>
public sealed record StorageSettings(S3Settings? S3, bool RedirectDownloads)
{
    public static StorageSettings From(IConfiguration configuration)
    {
        var redirect = Flag(configuration, "S3_REDIRECT");
        var storage = configuration["MONTU_STORAGE"];
        if (string.IsNullOrWhiteSpace(storage))
        {
            return redirect
                ? throw new InvalidOperationException("S3_REDIRECT=true needs MONTU_STORAGE=s3://bucket/prefix: a local directory has no URLs to redirect to")
                : new StorageSettings(null, false);
        }

        return new StorageSettings(S3Settings.From(storage, configuration), redirect);
    }

    private static bool Flag(IConfiguration configuration, string name) => configuration[name] switch
    {
        null or "" => false,
        var value when bool.TryParse(value, out var flag) => flag,
        var value => throw new InvalidOperationException($"{name} must be true or false, not '{value}'"),
    };
}
