using System.Security.Cryptography;
using Montu.Server.Features.Media;
using Montu.Server.Infrastructure.Errors;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Features.Uploads;

/// <summary>
/// The body of one PATCH on its way to its part object. A client that goes away mid-body (a VPN
/// dropping) ends it rather than failing it, so the bytes that did arrive are kept and the client
/// resumes after them, as tus intends. It refuses a byte past <c>Upload-Length</c> (413), judges
/// the file by its first bytes as soon as they are all known (<paramref name="header"/>: 415 when
/// they are not what its extension says), and hashes what passes, which is the file's checksum
/// when one PATCH carried the whole file.
/// </summary>
public sealed class PatchStream(Stream inner, long remaining, FileHeader? header, CancellationToken stopping) : ForwardReadStream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    /// <summary>Whether the client went away before the end of the body.</summary>
    public bool Interrupted { get; private set; }

    public override long BytesRead => _length;

    /// <summary><c>sha256:&lt;hex&gt;</c> of every byte read; read it once the stream is exhausted.</summary>
    public string Checksum => "sha256:" + Convert.ToHexStringLower(_sha256.GetCurrentHash());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Interrupted)
        {
            return 0;
        }

        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new UploadRefusedException(PastLength());
        }
        catch (Exception gone) when (gone is IOException or BadHttpRequestException or OperationCanceledException && !stopping.IsCancellationRequested)
        {
            Interrupted = true;
            return 0;
        }

        _length += read;
        if (_length > remaining)
        {
            throw new UploadRefusedException(PastLength());
        }

        header?.Add(buffer.Span[..read]);
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

    private ApiError PastLength() => new(StatusCodes.Status413PayloadTooLarge,
        $"The body goes past {TusProtocol.LengthHeader}: {remaining} more bytes complete this upload");
}

/// <summary>
/// The first bytes of an upload, gathered across PATCHes: those already stored, then those of the
/// body, until there are as many as the file sniffer reads or the whole file, whichever is
/// shorter; then the file is judged.
/// </summary>
public sealed class FileHeader
{
    private readonly string _fileName;
    private readonly string _extension;
    private readonly byte[] _bytes;
    private int _filled;

    public FileHeader(string fileName, string extension, long fileLength, ReadOnlySpan<byte> stored)
    {
        (_fileName, _extension) = (fileName, extension);
        _bytes = new byte[(int)Math.Min(ContentSniffer.HeaderLength, fileLength)];
        stored.CopyTo(_bytes);
        _filled = stored.Length;
    }

    /// <summary>What the file is, once its first bytes are all known and agree with its extension.</summary>
    public FileKind? Kind { get; private set; }

    public void Add(ReadOnlySpan<byte> bytes)
    {
        if (_filled == _bytes.Length)
        {
            return;
        }

        var taken = Math.Min(bytes.Length, _bytes.Length - _filled);
        bytes[..taken].CopyTo(_bytes.AsSpan(_filled));
        _filled += taken;
        if (_filled == _bytes.Length)
        {
            Kind = ContentSniffer.Check(_fileName, _extension, _bytes, out var refused) ?? throw new UploadRefusedException(refused!);
        }
    }
}
