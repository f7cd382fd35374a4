namespace Aegis.Core.Actions;

/// <summary>
/// Applies decision deadlines: every PENDING action whose deadline has passed is decided by its <c>on_timeout</c>
/// (<see cref="ActionStateMachine.ExpireOnDeadline"/>), with its audit event, and published after the commit. Runs in
/// every replica without a leader; the store's <c>SKIP LOCKED</c> claim and the compare-and-set make each expiry
/// happen exactly once, and a human decision that commits first wins.
/// </summary>
public sealed class DeadlineExpirer(ActionTransitions transitions)
{
    /// <summary>
    /// Expires up to <paramref name="limit"/> actions whose deadline is at or before <paramref name="now"/>, in one
    /// transaction. Returns the actions as they now stand, which this call alone changed.
    /// </summary>
    public Task<IReadOnlyList<ActionRecord>> ExpireDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        transitions.ApplyToDueAsync(ActionTimer.DecisionDeadline, now, limit, a => ActionStateMachine.ExpireOnDeadline(a, now), cancellationToken);
}
