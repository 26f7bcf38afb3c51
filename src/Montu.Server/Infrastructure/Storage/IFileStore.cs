namespace Montu.Server.Infrastructure.Storage;

/// <summary>
/// Every file the server keeps (media, their previews, uploads in progress, exports) goes through
/// this one interface, backed by a local directory or an S3 bucket. Keys are relative paths with
/// <c>/</c> separators, made by the server from sanitised names; a key never holds <c>..</c>.
/// Writes stream: no implementation holds a whole file in memory.
/// </summary>
public interface IFileStore
{
    /// <summary>Whether <see cref="PresignedUrl"/> gives URLs a client may fetch directly.</summary>
    bool CanPresign { get; }

    /// <summary>
    /// Writes <paramref name="content"/> to a new object at <paramref name="key"/> and returns its
    /// size. An existing object at the key is an error; a failed or cancelled write leaves no
    /// object behind.
    /// </summary>
    Task<long> WriteAsync(string key, Stream content, CancellationToken ct);

    /// <summary>The object's size and time, or null when there is none.</summary>
    Task<StoredFile?> FindAsync(string key, CancellationToken ct);

    /// <summary>
    /// Reads <paramref name="length"/> bytes (all the rest when null) from <paramref name="offset"/>;
    /// null when there is no such object.
    /// </summary>
    Task<Stream?> OpenReadAsync(string key, long offset, long? length, CancellationToken ct);

    /// <summary>Moves an object to a new key that must be free; the source is gone afterwards.</summary>
    Task MoveAsync(string fromKey, string toKey, CancellationToken ct);

    /// <summary>Deletes the object if it exists.</summary>
    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>The objects whose key starts with <paramref name="prefix"/>, in no particular order.</summary>
    IAsyncEnumerable<StoredFile> ListAsync(string prefix, CancellationToken ct);

    /// <summary>
    /// A URL that fetches the object without credentials until it expires; only when <see cref="CanPresign"/>.
    /// Its response says <c>Content-Disposition: attachment</c> with <paramref name="downloadFileName"/>
    /// and <c>Content-Type</c> <paramref name="contentType"/> when given (objects are stored without a type).
    /// </summary>
    Uri PresignedUrl(string key, TimeSpan lifetime, string? downloadFileName, string? contentType = null);

    /// <summary>
    /// Where a program on this machine (ffmpeg) reads the object in place, seeking as it needs: its
    /// file, or a presigned URL it fetches with ranges, working for <paramref name="lifetime"/>.
    /// </summary>
    string ProgramInput(string key, TimeSpan lifetime);
}

/// <summary>An object of a <see cref="IFileStore"/>.</summary>
public sealed record StoredFile(string Key, long Size, DateTimeOffset LastModified);
