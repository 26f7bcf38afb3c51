using System.Security.Cryptography;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Features.Media;

/// <summary>An upload refused while its bytes were read: the write that was reading them stops and leaves nothing.</summary>
public sealed class UploadRefusedException(ApiError error) : Exception(error.Message)
{
    public ApiError Error => error;
}

/// <summary>
/// The bytes of an uploaded file on their way to storage: checks the first bytes before any are
/// passed on (<paramref name="checkHeader"/>), computes the SHA-256 as they pass, and stops at
/// <paramref name="maxBytes"/>, so a file is read once, never held whole, and refused as early as
/// its bytes allow.
/// </summary>
public sealed class UploadStream(Stream inner, long maxBytes, Func<ReadOnlyMemory<byte>, ApiError?> checkHeader) : ForwardReadStream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _header = new byte[ContentSniffer.HeaderLength];
    private int _headerLength = -1;
    private int _headerSent;
    private long _length;

    public override long BytesRead => _length;

    /// <summary><c>sha256:&lt;hex&gt;</c> of every byte read; read it once the stream is exhausted.</summary>
    public string Checksum => "sha256:" + Convert.ToHexStringLower(_sha256.GetCurrentHash());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_headerLength < 0)
        {
            _headerLength = await FillHeaderAsync(cancellationToken);
            if (checkHeader(_header.AsMemory(0, _headerLength)) is { } refused)
            {
                throw new UploadRefusedException(refused);
            }
        }

        int read;
        if (_headerSent < _headerLength)
        {
            read = Math.Min(buffer.Length, _headerLength - _headerSent);
            _header.AsMemory(_headerSent, read).CopyTo(buffer);
            _headerSent += read;
        }
        else
        {
            read = await inner.ReadAsync(buffer, cancellationToken);
        }

        _length += read;
        if (_length > maxBytes)
        {
            throw new UploadRefusedException(new ApiError(StatusCodes.Status413PayloadTooLarge,
                $"The file is larger than the {maxBytes} bytes this server accepts (MAX_FILE_SIZE)"));
        }

        _sha256.AppendData(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<int> FillHeaderAsync(CancellationToken ct)
    {
        var filled = 0;
        while (filled < _header.Length)
        {
            var read = await inner.ReadAsync(_header.AsMemory(filled), ct);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
