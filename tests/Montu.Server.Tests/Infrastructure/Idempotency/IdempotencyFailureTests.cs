using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Tests.Infrastructure.Idempotency;

/// <summary>An answer of 500 frees the key: the retry runs, rather than getting the failure again.</summary>
public sealed class IdempotencyFailureTests(IdempotencyFailureTests.FlakyStorageApp app) : IClassFixture<IdempotencyFailureTests.FlakyStorageApp>
{
    [Fact]
    public async Task An_upload_that_failed_with_500_frees_its_key_and_the_retry_runs()
    {
        var project = await app.Client.CreateProject();
        var task = (await app.Client.CreateTask(TaskBuilders.ShotTask(project))).Str("id");
        var key = "key-" + Guid.NewGuid().ToString("N");

        app.Storage.Down = true;
        await (await app.Client.UploadKeyed(task, key)).ExpectError(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        Assert.Equal(0, await app.KeyRows(key));
        app.Storage.Down = false;
        var created = await (await app.Client.UploadKeyed(task, key)).ExpectFirstRun(HttpStatusCode.Created);
        var replayed = await (await app.Client.UploadKeyed(task, key)).ExpectReplay(HttpStatusCode.Created);

        Assert.Equal(created.Str("id"), replayed.Str("id"));
        Assert.Equal(1, (await (await app.Client.GetAsync($"/api/v1/tasks/{task}/media")).Expect(HttpStatusCode.OK)).GetArrayLength());
    }

    /// <summary>The server's storage, which fails every write while <see cref="Down"/>, as a full disk or an unreachable bucket does.</summary>
    public sealed class FlakyStore(IFileStore store) : IFileStore
    {
        public bool Down { get; set; }

        public bool CanPresign => store.CanPresign;

        public Task<long> WriteAsync(string key, Stream content, CancellationToken ct) =>
            Down ? throw new IOException("No space left on device") : store.WriteAsync(key, content, ct);

        public Task<StoredFile?> FindAsync(string key, CancellationToken ct) => store.FindAsync(key, ct);

        public Task<Stream?> OpenReadAsync(string key, long offset, long? length, CancellationToken ct) => store.OpenReadAsync(key, offset, length, ct);

        public Task MoveAsync(string fromKey, string toKey, CancellationToken ct) => store.MoveAsync(fromKey, toKey, ct);

        public Task DeleteAsync(string key, CancellationToken ct) => store.DeleteAsync(key, ct);

        public IAsyncEnumerable<StoredFile> ListAsync(string prefix, CancellationToken ct) => store.ListAsync(prefix, ct);

        public Uri PresignedUrl(string key, TimeSpan lifetime, string? downloadFileName, string? contentType = null) =>
            store.PresignedUrl(key, lifetime, downloadFileName, contentType);

        public string ProgramInput(string key, TimeSpan lifetime) => store.ProgramInput(key, lifetime);
    }

    public sealed class FlakyStorageApp : TestApp
    {
        public FlakyStore Storage => (FlakyStore)Services.GetRequiredService<IFileStore>();

        protected override void ConfigureServices(IServiceCollection services)
        {
            var configured = services.Last(d => d.ServiceType == typeof(IFileStore));
            services.AddSingleton<IFileStore>(sp => new FlakyStore((IFileStore)configured.ImplementationFactory!(sp)));
        }
    }
}
