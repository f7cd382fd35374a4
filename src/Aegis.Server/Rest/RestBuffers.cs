using Microsoft.IO;

namespace Aegis.Server.Rest;

/// <summary>
/// The REST edge's per-request buffers (a request body read whole, a unary response held to be rewritten), from one
/// pool: at thousands of requests a second, fresh <see cref="MemoryStream"/>s growing by doubling were most of what a
/// REST request allocated.
/// </summary>
internal static class RestBuffers
{
    private static readonly RecyclableMemoryStreamManager Manager = new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 16 * 1024,
        LargeBufferMultiple = 256 * 1024,
        MaximumBufferSize = 2 * 1024 * 1024,
        MaximumSmallPoolFreeBytes = 16 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 16 * 1024 * 1024,
    });

    /// <summary>
    /// An empty pooled stream (also an <see cref="System.Buffers.IBufferWriter{T}"/>) that goes back to the pool when
    /// <paramref name="context"/>'s response has been sent. Its id is a constant: the default, a fresh GUID per stream,
    /// is a random-number system call each time.
    /// </summary>
    public static RecyclableMemoryStream For(HttpContext context)
    {
        var stream = Manager.GetStream(Guid.Empty);
        context.Response.RegisterForDispose(stream);
        return stream;
    }

    /// <summary>What <paramref name="stream"/> holds, as one piece of memory (valid until the stream is disposed).</summary>
    public static ReadOnlyMemory<byte> Contents(RecyclableMemoryStream stream) => stream.GetBuffer().AsMemory(0, (int)stream.Length);
}
