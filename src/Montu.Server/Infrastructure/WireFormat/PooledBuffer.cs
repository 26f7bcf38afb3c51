using System.Buffers;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// Bytes written into one array rented from the shared pool, grown by doubling. A response is
/// held whole here before it is sent: a page of tasks passes the 85 KB past which a fresh array
/// would land on the large-object heap for every request.
/// </summary>
public sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private const int FirstSize = 4096;
    private byte[] _array = [];
    private int _length;

    public int Length => _length;

    public ReadOnlyMemory<byte> Written => _array.AsMemory(0, _length);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsSpan(_length);
    }

    public void Clear() => _length = 0;

    public void Dispose()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }

        _length = 0;
    }

    private void Reserve(int sizeHint)
    {
        var needed = _length + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(FirstSize, _array.Length * 2)));
        _array.AsSpan(0, _length).CopyTo(grown);
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = grown;
    }
}
