using Grpc.Core;

namespace Aegis.Client.Exceptions;

/// <summary>FAILED_PRECONDITION (<c>AWAITING_APPROVAL</c>, <c>ACTION_REJECTED</c>, <c>ACTION_EXPIRED</c>; REST 409): the action may not be executed (yet).</summary>
public sealed class NotApprovedException(RpcException call) : AegisException(call);
