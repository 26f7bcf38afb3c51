using Montu.Server.Features.Media;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// The stored parts of an upload read one after the other as one file, each opened only when
/// the one before is read to its end, so joining them holds one read buffer at a time. A part
/// found missing means the upload was removed meanwhile (terminated, or expired): 404.
/// </summary>
public sealed class PartsStream(IFileStore store, IReadOnlyList<UploadPart> parts) : ForwardReadStream
{
    private int _next;
    private Stream? _current;
    private long _position;

    public override long BytesRead => _position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            if (_current is null)
            {
                if (_next == parts.Count)
                {
                    return 0;
                }

                var part = parts[_next++];
                _current = await store.OpenReadAsync(part.StorageKey, 0, null, cancellationToken)
                    ?? throw new UploadRefusedException(ApiError.NotFound("The upload was removed while its bytes were being read"));
            }

            var read = await _current.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                _position += read;
                return read;
            }

            await _current.DisposeAsync();
            _current = null;
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
