using Grpc.Core;

namespace Aegis.Client.Exceptions;

/// <summary>RESOURCE_EXHAUSTED (REST 429): the monthly quota is spent; nothing was stored, the same key succeeds once it resets.</summary>
public sealed class QuotaExceededException(RpcException call) : AegisException(call);
