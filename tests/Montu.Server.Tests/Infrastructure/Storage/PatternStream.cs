namespace Montu.Server.Tests.Infrastructure.Storage;

/// <summary>
/// Test content that is never held whole: byte <c>i</c> is <c>i mod 251</c>, a prime that divides no
/// part size, so a byte read from the wrong place shows. The stream cannot seek, like a request body.
/// </summary>
public sealed class PatternStream(long length) : Stream
{
    private long _position;

    /// <summary>Throws <see cref="IOException"/> once this many bytes were read, as a dropped upload does.</summary>
    public long? FailAfter { get; init; }

    /// <summary>Called once this many bytes were read (to cancel the write in progress, say).</summary>
    public (long Bytes, Action Then)? OnReaching { get; init; }

    public static byte At(long position) => (byte)(position % 251);

    /// <summary>Asserts that <paramref name="stream"/> holds exactly the pattern from <paramref name="offset"/> for <paramref name="length"/> bytes.</summary>
    public static async Task AssertHolds(Stream stream, long offset, long length)
    {
        var buffer = new byte[81920];
        long read = 0;
        for (int count; (count = await stream.ReadAsync(buffer)) > 0; read += count)
        {
            Assert.True(read + count <= length, $"The read gave more than the {length} bytes expected");
            for (var i = 0; i < count; i++)
            {
                if (buffer[i] != At(offset + read + i))
                {
                    Assert.Fail($"Byte {read + i} of the read is not the byte written at {offset + read + i}");
                }
            }
        }

        Assert.Equal(length, read);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (FailAfter is { } failAfter && _position >= failAfter)
        {
            throw new IOException("The client went away");
        }

        var count = (int)Math.Min(buffer.Length, length - _position);
        for (var i = 0; i < count; i++)
        {
            buffer[i] = At(_position + i);
        }

        if (OnReaching is var (bytes, then) && _position < bytes && _position + count >= bytes)
        {
            then();
        }

        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
