using Aegis.Hitl.V1;

namespace Aegis.Client;

/// <summary>The side effect threw; the failure was recorded on the server (FAILED, or APPROVED again if retryable).</summary>
public sealed class ExecutionFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExecutionFailedException(Hitl.V1.Action action, Exception inner)
        : base($"The side effect failed and was recorded; the action is {action.State}.", inner)
    {
        Action = action;
    }

    /// <summary>The action after the failure was recorded.</summary>
    public Hitl.V1.Action Action { get; }
}
