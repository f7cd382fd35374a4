using Grpc.Core;

namespace Aegis.Client.Exceptions;

/// <summary>FAILED_PRECONDITION (<c>PAYLOAD_MISMATCH</c>, REST 422): the key exists with a different payload.</summary>
public sealed class PayloadMismatchException(RpcException call) : AegisException(call);
