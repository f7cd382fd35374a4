namespace Aegis.Core.Actions;

/// <summary>
/// Applies escalations: every PENDING action whose escalation time has passed is escalated to its backup group once
/// (<see cref="ActionStateMachine.Escalate"/>), with its <c>action.escalated</c> audit event, and published after the
/// commit so watchers (and the console) hear of it. Runs in every replica without a leader: the store's
/// <c>SKIP LOCKED</c> claim and the compare-and-set make each escalation happen exactly once.
/// </summary>
public sealed class EscalationRunner(ActionTransitions transitions)
{
    /// <summary>Escalates up to <paramref name="limit"/> due actions in one transaction; returns those this call changed.</summary>
    public Task<IReadOnlyList<ActionRecord>> EscalateDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        transitions.ApplyToDueAsync(ActionTimer.Escalation, now, limit, a => ActionStateMachine.Escalate(a, now), cancellationToken);
}
