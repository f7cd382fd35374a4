using System.Net;
using System.Net.Sockets;
using Aegis.Hitl.V1;
using Grpc.Net.Client;

namespace Aegis.FaultTests.Cluster;

/// <summary>
/// Clients of the two replica slots, on fixed loopback ports that a restarted replica binds again, so clients
/// outlive the processes they talk to (as behind a load balancer).
/// </summary>
public sealed class ReplicaEndpoints : IDisposable
{
    private readonly GrpcChannel[] _channels;

    /// <summary>Picks free ports for <paramref name="count"/> slots and makes clients for them.</summary>
    public ReplicaEndpoints(int count)
    {
        RestPorts = Enumerable.Range(0, count).Select(_ => FreePort()).ToArray();
        GrpcPorts = Enumerable.Range(0, count).Select(_ => FreePort()).ToArray();
        Rest = RestPorts.Select(p => new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{p}"),
            Timeout = Timeout.InfiniteTimeSpan,
        }).ToArray();

        // A replica that was down must be reachable the moment it is back: the channel's default reconnect backoff
        // grows to two minutes.
        _channels = GrpcPorts.Select(p => GrpcChannel.ForAddress($"http://127.0.0.1:{p}", new GrpcChannelOptions
        {
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromMilliseconds(500),
        })).ToArray();
        Hitl = _channels.Select(c => new HitlService.HitlServiceClient(c)).ToArray();
    }

    /// <summary>REST port of each slot.</summary>
    public int[] RestPorts { get; }

    /// <summary>gRPC port of each slot.</summary>
    public int[] GrpcPorts { get; }

    /// <summary>REST client of each slot.</summary>
    public HttpClient[] Rest { get; }

    /// <summary>gRPC client of each slot.</summary>
    public HitlService.HitlServiceClient[] Hitl { get; }

    /// <summary>The gRPC channel of slot <paramref name="slot"/>.</summary>
    public GrpcChannel Channel(int slot) => _channels[slot];

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var rest in Rest)
        {
            rest.Dispose();
        }

        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
