using Grpc.Core;

namespace Aegis.Client.Exceptions;

/// <summary>UNAVAILABLE (REST 503): the server or its database could not be reached, even after the channel's retries.</summary>
public sealed class AegisUnavailableException(RpcException call) : AegisException(call);
