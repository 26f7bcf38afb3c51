using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Tests.Infrastructure.Storage;

/// <summary>The storage contract on the default backend: files under <c>$MONTU_DATA_DIR/media</c>.</summary>
public sealed class LocalFileStoreTests(TestApp app) : FileStoreContractTests<TestApp>(app), IClassFixture<TestApp>
{
    private string MediaDirectory => Path.Combine(App.DataDir, "media");

    [StorageFact]
    public async Task Files_are_kept_under_the_media_folder_of_the_data_directory()
    {
        await Store.WriteAsync(Key("sh010/v001.exr"), new PatternStream(123), default);

        Assert.IsType<LocalFileStore>(Store);
        Assert.Equal(123, new FileInfo(Path.Combine(MediaDirectory, Key("sh010/v001.exr"))).Length);
    }

    [StorageFact]
    public async Task A_local_directory_refuses_to_presign_urls()
    {
        await Store.WriteAsync(Key("v001.exr"), new PatternStream(10), default);

        Assert.False(Store.CanPresign);
        Assert.Throws<NotSupportedException>(() => Store.PresignedUrl(Key("v001.exr"), TimeSpan.FromMinutes(15), "v001.exr"));
    }

    protected override Task<IReadOnlyList<string>> WritesInProgress(string folder)
    {
        var directory = Path.Combine(MediaDirectory, folder);
        return Task.FromResult<IReadOnlyList<string>>(Directory.Exists(directory) ? Directory.GetFiles(directory, "*.partial", SearchOption.AllDirectories) : []);
    }
}
