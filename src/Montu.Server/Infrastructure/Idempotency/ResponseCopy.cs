namespace Montu.Server.Infrastructure.Idempotency;

/// <summary>
/// The response body on its way to the client, copied up to <paramref name="limit"/> bytes to keep
/// for replays. Once the client is gone (<paramref name="clientGone"/>), writes that fail to reach
/// it are dropped and the copy still made: the client's retry is what the copy is for.
/// </summary>
internal sealed class ResponseCopy(Stream client, int limit, CancellationToken clientGone) : Stream
{
    private MemoryStream? _copy = new();

    /// <summary>The body, or null when it was larger than the limit.</summary>
    public byte[]? Body => _copy?.ToArray();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Keep(buffer);
        try
        {
            client.Write(buffer);
        }
        catch (Exception e) when (IsClientGone(e))
        {
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Keep(buffer.Span);
        try
        {
            await client.WriteAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (IsClientGone(e))
        {
        }
    }

    public override void Flush()
    {
        try
        {
            client.Flush();
        }
        catch (Exception e) when (IsClientGone(e))
        {
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (IsClientGone(e))
        {
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _copy?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (_copy is null)
        {
            return;
        }

        if (_copy.Length + bytes.Length > limit)
        {
            _copy.Dispose();
            _copy = null;
            return;
        }

        _copy.Write(bytes);
    }

    private bool IsClientGone(Exception e) => clientGone.IsCancellationRequested && e is IOException or OperationCanceledException;
}
