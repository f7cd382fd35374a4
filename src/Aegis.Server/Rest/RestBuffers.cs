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

    /// <summary>An empty pooled stream, also an <see cref="System.Buffers.IBufferWriter{T}"/>; dispose it to give it back.</summary>
    public static RecyclableMemoryStream Get() => Manager.GetStream();

    /// <summary>What <paramref name="stream"/> holds, as one piece of memory (valid until the stream is disposed).</summary>
    public static ReadOnlyMemory<byte> Contents(RecyclableMemoryStream stream) => stream.GetBuffer().AsMemory(0, (int)stream.Length);
}
