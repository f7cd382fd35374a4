namespace Aegis.Client.Exceptions;

/// <summary>
/// <see cref="AegisClient.GuardAsync{T}"/>: the action's execution had failed for good before this call; nothing ran.
/// <see cref="ErrorJson"/> is the stored error.
/// </summary>
public sealed class ActionFailedException(Hitl.V1.Action action)
    : Exception($"The action '{action.IdempotencyKey}' failed for good: {action.Execution?.ErrorJson}")
{
    /// <summary>The stored error (JSON text).</summary>
    public string? ErrorJson => Action.Execution?.ErrorJson;

    /// <summary>The failed action.</summary>
    public Hitl.V1.Action Action { get; } = action;
}
