namespace Aegis.Core.Actions;

/// <summary>A request to approve or reject the action with an idempotency key (creating it if new).</summary>
/// <param name="IdempotencyKey">The client's key (validated by <see cref="ActionInputs"/>).</param>
/// <param name="ThreadId">The agent's thread.</param>
/// <param name="Payload">The action payload; null means the call restates none (the empty object for a new action).</param>
/// <param name="Outcome">Approve or reject.</param>
/// <param name="Comment">Optional reviewer comment.</param>
/// <param name="Reason">Optional structured rejection reason.</param>
/// <param name="Retryable">For rejections: whether the agent may retry with a changed action.</param>
public sealed record DecideCommand(
    string? IdempotencyKey,
    string? ThreadId,
    Payload? Payload,
    DecisionOutcome Outcome,
    string? Comment = null,
    string? Reason = null,
    bool Retryable = false);
