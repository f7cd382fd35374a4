using Aegis.Hitl.V1;

namespace Aegis.Client.Exceptions;

/// <summary>
/// <see cref="AegisClient.GuardAsync{T}"/> was refused: the action was rejected (or its decision deadline passed)
/// instead of approved, so the side effect did not run.
/// </summary>
public sealed class ActionRejectedException : Exception
{
    /// <summary>Creates the exception from the decided action.</summary>
    public ActionRejectedException(Hitl.V1.Action action)
        : base($"The action '{action.IdempotencyKey}' was {action.State}: {(action.Decision?.Reason is { Length: > 0 } r ? r : "no reason given")}.")
    {
        Action = action;
        Reason = action.Decision?.Reason is { Length: > 0 } reason
            ? reason
            : action.State == ActionState.Expired ? "DECISION_DEADLINE_PASSED" : "";
        Retryable = action.Decision?.Retryable ?? false;
    }

    /// <summary>The structured reason the reviewer or policy gave (empty when none).</summary>
    public string Reason { get; }

    /// <summary>Whether the agent may try again with a changed action.</summary>
    public bool Retryable { get; }

    /// <summary>The decided action.</summary>
    public Hitl.V1.Action Action { get; }
}
