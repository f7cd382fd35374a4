using Grpc.Core;

namespace Aegis.Client.Exceptions;

/// <summary>NOT_FOUND (REST 404): no such action for this tenant (another tenant's actions are never revealed).</summary>
public sealed class ActionNotFoundException(RpcException call) : AegisException(call);
