using Grpc.Core;

namespace Aegis.Client.Exceptions;

/// <summary>ALREADY_EXISTS (<c>DUPLICATE_KEY</c>, REST 409): the key is already decided; <see cref="AegisException.Action"/> is the stored action, unchanged.</summary>
public sealed class AlreadyDecidedException(RpcException call) : AegisException(call);
