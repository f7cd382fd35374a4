using Grpc.Core;

namespace Aegis.Client.Exceptions;

/// <summary>UNAUTHENTICATED or PERMISSION_DENIED (REST 401/403): missing, invalid or insufficient credentials.</summary>
public sealed class NotAuthorizedException(RpcException call) : AegisException(call);
