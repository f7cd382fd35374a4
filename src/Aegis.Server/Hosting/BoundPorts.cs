using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Aegis.Server.Hosting;

/// <summary>The ports actually bound once the server has started (differs from configuration when it says 0).</summary>
public sealed class BoundPorts
{
    /// <summary>The HTTP/1.1 (REST) port.</summary>
    public int RestPort => RestListen?.IPEndPoint?.Port ?? 0;

    /// <summary>The HTTP/2 cleartext (gRPC) port.</summary>
    public int GrpcPort => GrpcListen?.IPEndPoint?.Port ?? 0;

    // Kestrel writes the bound endpoint back into its ListenOptions, so reading them after start gives real ports.
    internal ListenOptions? RestListen { get; set; }

    internal ListenOptions? GrpcListen { get; set; }
}
