namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// A MessagePack request body read as the JSON it stands for. Nothing is read until the first
/// read: the body is taken, transcoded and checked only when a handler (or the access check
/// looking for a body's <c>projectId</c>) reads it, so a request that fails its token, project or
/// role check is refused for that first, as a JSON one is. The route's body limit applies to the
/// MessagePack bytes as they arrive. A body that cannot be JSON fails the read with a
/// <see cref="MessagePackBodyException"/>, which every reader answers as malformed JSON.
/// </summary>
internal sealed class MessagePackRequestBody(Stream messagePack) : Stream
{
    private MemoryStream? _json;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        (await JsonAsync(cancellationToken)).Read(buffer.Span);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>The server reads request bodies asynchronously only (Kestrel refuses synchronous reads).</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async ValueTask<MemoryStream> JsonAsync(CancellationToken ct)
    {
        if (_json is null)
        {
            using var packed = new MemoryStream();
            await messagePack.CopyToAsync(packed, ct);
            using var json = new PooledBuffer();
            MessagePackTranscoder.ToJson(packed.GetBuffer().AsMemory(0, (int)packed.Length), json);
            _json = new MemoryStream(json.Written.ToArray(), writable: false);
        }

        return _json;
    }
}
