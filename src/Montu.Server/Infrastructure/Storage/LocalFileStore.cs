using System.Runtime.CompilerServices;

namespace Montu.Server.Infrastructure.Storage;

/// <summary>
/// Objects as files under one directory (by default <c>$MONTU_DATA_DIR/media</c>). A write goes to
/// a temporary file beside its key, held exclusively while it is written, and is renamed into place
/// once complete, so a crash never leaves a partial file under a real key.
/// </summary>
public sealed class LocalFileStore(string root) : IFileStore
{
    private const string PartialSuffix = ".partial";
    private readonly string _root = Path.GetFullPath(root);

    public bool CanPresign => false;

    public async Task<long> WriteAsync(string key, Stream content, CancellationToken ct)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            throw new IOException($"An object already exists at '{key}'");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + "." + Guid.NewGuid().ToString("N") + PartialSuffix;
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, ct);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }

            File.Move(partial, path, overwrite: false);
            return new FileInfo(path).Length;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    public Task<StoredFile?> FindAsync(string key, CancellationToken ct)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? new StoredFile(key, file.Length, file.LastWriteTimeUtc) : null);
    }

    public Task<Stream?> OpenReadAsync(string key, long offset, long? length, CancellationToken ct)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return Task.FromResult<Stream?>(null);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        file.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream?>(length is { } count ? new BoundedStream(file, count) : file);
    }

    public Task MoveAsync(string fromKey, string toKey, CancellationToken ct)
    {
        var target = PathOf(toKey);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(PathOf(fromKey), target, overwrite: false);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal) && !key.EndsWith(PartialSuffix, StringComparison.Ordinal))
            {
                var file = new FileInfo(path);
                yield return new StoredFile(key, file.Length, file.LastWriteTimeUtc);
            }
        }

        await Task.CompletedTask;
    }

    public Uri PresignedUrl(string key, TimeSpan lifetime, string? downloadFileName, string? contentType = null) =>
        throw new NotSupportedException("A local directory has no presigned URLs; the server streams the file itself");

    public string ProgramInput(string key, TimeSpan lifetime) => PathOf(key);

    /// <summary>
    /// Deletes the partial files of writes that will never finish, however recent. A write holds
    /// its partial file exclusively (<see cref="FileShare.None"/>: an advisory lock on Unix) until
    /// it renames or deletes it, and a process that dies lets go of it. So a partial file whose lock
    /// can be taken was left by a crash or a kill, and one that cannot is a write in progress, of
    /// this instance or of another sharing the directory, however slow its client.
    /// </summary>
    public int DeleteAbandonedWrites()
    {
        if (!Directory.Exists(_root))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var path in Directory.EnumerateFiles(_root, "*" + PartialSuffix, SearchOption.AllDirectories))
        {
            try
            {
                // With the writer's lock taken, the file goes as it is let go.
                using (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                    deleted++;
                }
            }
            catch (IOException)
            {
                // Locked by its writer, or finished and renamed since it was listed.
            }
        }

        return deleted;
    }

    /// <summary>The file of a key; refuses keys that would leave the root, though the server never makes one.</summary>
    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, StorageKeys.Checked(key).Replace('/', Path.DirectorySeparatorChar)));
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"'{key}' is not a storage key", nameof(key));
    }
}
