using System.Buffers;

namespace Aegis.Server.Rest;

/// <summary>
/// Wraps the body of a transcoded server stream (newline-delimited JSON, one message a line) and gives each line's
/// action its exact payload and result (<see cref="ExactJson"/>), as unary responses get; a line that is not a JSON
/// object passes unchanged. Lines are
/// written through as soon as they are complete and every flush is passed on, so watchers are not delayed.
/// </summary>
public sealed class ExactJsonLinesStream(Stream inner) : Stream
{
    private static readonly ReadOnlyMemory<byte> Newline = "\n"u8.ToArray();
    private readonly MemoryStream _pending = new();
    private readonly ArrayBufferWriter<byte> _output = new();

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var rest = buffer;
        int newline;
        while ((newline = rest.Span.IndexOf((byte)'\n')) >= 0)
        {
            _pending.Write(rest.Span[..newline]);
            await WriteLineAsync(cancellationToken);
            rest = rest[(newline + 1)..];
        }

        _pending.Write(rest.Span);
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    /// <summary>Writes out a last line that had no newline (none is expected from transcoding).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length > 0)
        {
            await inner.WriteAsync(_pending.ToArray(), cancellationToken);
            _pending.SetLength(0);
        }
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task WriteLineAsync(CancellationToken cancellationToken)
    {
        var line = _pending.GetBuffer().AsMemory(0, (int)_pending.Length);
        _output.Clear();
        if (ExactJson.TryRewriteMessage(line.Span, _output))
        {
            await inner.WriteAsync(_output.WrittenMemory, cancellationToken);
        }
        else
        {
            await inner.WriteAsync(line, cancellationToken);
        }

        _pending.SetLength(0);
        await inner.WriteAsync(Newline, cancellationToken);
    }
}
