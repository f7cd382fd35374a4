namespace Aegis.Client;

/// <summary>
/// The lease was lost while the side effect ran (it expired and was taken over): the heartbeat stopped the side
/// effect, and its result could not have been stored. Another caller now owns the action.
/// </summary>
public sealed class ExecutionLeaseLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExecutionLeaseLostException(string idempotencyKey, long fencingToken)
        : base($"The lease {fencingToken} on '{idempotencyKey}' was lost while the side effect ran.")
    {
        IdempotencyKey = idempotencyKey;
        FencingToken = fencingToken;
    }

    /// <summary>The action's key.</summary>
    public string IdempotencyKey { get; }

    /// <summary>The lost lease's fencing token.</summary>
    public long FencingToken { get; }
}
