using Amazon;
using Amazon.S3;

namespace Montu.Server.Infrastructure.Storage;

/// <summary>
/// The one <see cref="IFileStore"/> of the server: <c>MONTU_STORAGE</c> unset keeps files in the
/// local directory <c>UPLOAD_PATH</c> (default <c>$MONTU_DATA_DIR/media</c>); <c>s3://bucket/prefix</c>
/// keeps them in a bucket (<see cref="S3Settings"/>). The settings are read here, so a bad value stops the start.
/// </summary>
public static class StorageServices
{
    public static IServiceCollection AddMontuStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = StorageSettings.From(configuration);
        services.AddSingleton(settings);
        if (settings.S3 is not { } s3)
        {
            return services.AddSingleton<IFileStore>(_ => new LocalFileStore(LocalRoot(configuration)));
        }

        services.AddSingleton<IAmazonS3>(_ => S3Client(s3));
        return services.AddSingleton<IFileStore>(sp => new S3FileStore(sp.GetRequiredService<IAmazonS3>(), s3, sp.GetRequiredService<ILogger<S3FileStore>>()));
    }

    public static string LocalRoot(IConfiguration configuration) =>
        Path.GetFullPath(configuration["UPLOAD_PATH"] is { Length: > 0 } path ? path : Path.Combine(DataDirectory.From(configuration), "media"));

    public static AmazonS3Client S3Client(S3Settings settings) =>
        settings.Credentials is { } credentials ? new AmazonS3Client(credentials, S3Config(settings)) : new AmazonS3Client(S3Config(settings));

    public static AmazonS3Config S3Config(S3Settings settings)
    {
        var config = new AmazonS3Config();
        if (settings.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = settings.Region;
            // An S3-compatible server's buckets have no DNS names of their own: http://host/bucket/key.
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        return config;
    }
}
