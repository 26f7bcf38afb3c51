namespace Montu.Server.Infrastructure.Storage;

/// <summary>
/// The one <see cref="IFileStore"/> of the server: <c>MONTU_STORAGE</c> unset keeps files in the
/// local directory <c>UPLOAD_PATH</c> (default <c>$MONTU_DATA_DIR/media</c>).
/// </summary>
public static class StorageServices
{
    public static IServiceCollection AddMontuStorage(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton<IFileStore>(_ => new LocalFileStore(LocalRoot(configuration)));

    public static string LocalRoot(IConfiguration configuration) =>
        Path.GetFullPath(configuration["UPLOAD_PATH"] is { Length: > 0 } path ? path : Path.Combine(DataDirectory.From(configuration), "media"));
}
