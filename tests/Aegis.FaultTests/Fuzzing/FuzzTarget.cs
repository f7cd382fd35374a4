using Grpc.Net.Client;

namespace Aegis.FaultTests.Fuzzing;

/// <summary>The replica under fuzzing.</summary>
/// <param name="RestPort">Its REST (HTTP/1.1) port on 127.0.0.1.</param>
/// <param name="Grpc">A channel to its gRPC port.</param>
public sealed record FuzzTarget(int RestPort, GrpcChannel Grpc);
