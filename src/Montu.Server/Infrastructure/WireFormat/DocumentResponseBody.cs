using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Montu.Server.Infrastructure.WireFormat;

/// <summary>
/// A response body that holds an API document (<see cref="ApiDocuments.IsJson"/>) whole and sends
/// it at the end with its <c>Content-Length</c>: as MessagePack when the request asked for it, else
/// as the JSON it is, so that compression can tell a document too small to be worth compressing.
/// What the body is, it learns from the response's type at its first byte (or start); anything
/// else (stored files, empty answers) passes through untouched, <c>SendFileAsync</c> included.
/// </summary>
internal sealed class DocumentResponseBody(HttpContext context, IHttpResponseBodyFeature inner, string? messagePackType)
    : Stream, IHttpResponseBodyFeature
{
    private PooledBuffer? _document;
    private bool _passThrough;
    private bool _sent;
    private PipeWriter? _writer;

    Stream IHttpResponseBodyFeature.Stream => this;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public override bool CanRead => false;

    /// <summary>
    /// A held document can be emptied: the error handler clears a response whose handler failed
    /// halfway (<c>HttpResponse.Clear</c> truncates a seekable body) and writes the error envelope
    /// in its place.
    /// </summary>
    public override bool CanSeek => _document is not null;

    public override bool CanWrite => true;

    public override long Length => _document?.Length ?? throw new NotSupportedException();

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    /// <summary>Sends the held document, if any: called once the rest of the pipeline has answered.</summary>
    public async Task SendAsync()
    {
        if (_sent)
        {
            return;
        }

        _sent = true;
        if (_writer is not null)
        {
            await _writer.CompleteAsync();
        }

        if (_document is not { Length: > 0 } document)
        {
            return;
        }

        var response = context.Response;
        if (messagePackType is null)
        {
            response.ContentLength = document.Length;
            await inner.Writer.WriteAsync(document.Written, context.RequestAborted);
            return;
        }

        using var packed = new PooledBuffer();
        MessagePackTranscoder.ToMessagePack(document.Written.Span, packed);
        response.ContentType = messagePackType;
        response.ContentLength = packed.Length;
        await inner.Writer.WriteAsync(packed.Written, context.RequestAborted);
    }

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) =>
        Holds() ? Task.CompletedTask : inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        Holds() ? SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken) : inner.SendFileAsync(path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        await SendAsync();
        await inner.CompleteAsync();
    }

    public override void Flush()
    {
        if (!Holds())
        {
            inner.Stream.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Holds() ? Task.CompletedTask : inner.Stream.FlushAsync(cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Holds())
        {
            _document!.Write(buffer);
        }
        else
        {
            inner.Stream.Write(buffer);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!Holds())
        {
            return inner.Stream.WriteAsync(buffer, cancellationToken);
        }

        _document!.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value)
    {
        if (_document is null || value != 0)
        {
            throw new NotSupportedException();
        }

        _document.Clear();
        // Bytes the failed handler left in the writer's buffer go with it.
        _writer = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _document?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Whether this body is a document held for the end; decided at its first byte. A JSON answer
    /// that already states its length (a stored page of tasks) has nothing to gain from being held
    /// unless it is to become MessagePack.
    /// </summary>
    private bool Holds()
    {
        if (_document is null && !_passThrough)
        {
            if (ApiDocuments.IsJson(context) && (messagePackType is not null || context.Response.ContentLength is null))
            {
                _document = new PooledBuffer();
            }
            else
            {
                _passThrough = true;
            }
        }

        return _document is not null;
    }
}
