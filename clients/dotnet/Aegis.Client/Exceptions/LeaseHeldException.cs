using Grpc.Core;

namespace Aegis.Client.Exceptions;

/// <summary>ABORTED (<c>LEASE_HELD</c>, REST 409): another caller is executing the action; <see cref="AegisException.RetryDelay"/> says for how long at most.</summary>
public sealed class LeaseHeldException(RpcException call) : AegisException(call);
