using Aegis.Core.Actions;

namespace Aegis.Core.Ports;

/// <summary>
/// Persists the transitions that <see cref="ActionStateMachine"/> decides. It decides nothing itself: every change is
/// one compare-and-set <c>UPDATE … WHERE tenant_id AND id AND state = @from AND version = @from</c> writing the
/// target row Core computed, in one transaction with its audit event, and returns only after the commit.
/// </summary>
public interface ITransitionStore
{
    /// <summary>
    /// Applies <paramref name="transition"/> only if the action is still in <c>From</c>'s state at <c>From</c>'s
    /// version. Returns the action as stored after the commit, or null when another writer got there first.
    /// </summary>
    Task<ActionRecord?> TryApplyAsync(ActionTransition transition, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> actions in the state that waits on <paramref name="timer"/> whose timer
    /// passed at or before <paramref name="now"/> — skipping rows another replica has locked (PostgreSQL
    /// <c>FOR UPDATE SKIP LOCKED</c>), so replicas split the work — and applies, in one transaction, the transition
    /// <paramref name="decide"/> returns for each (none when it returns null). Returns the actions as changed.
    /// </summary>
    Task<IReadOnlyList<ActionRecord>> ApplyToDueAsync(
        ActionTimer timer, DateTimeOffset now, int limit, Func<ActionRecord, ActionTransition?> decide, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> actions in one of <paramref name="states"/> last changed before
    /// <paramref name="cutoff"/>, oldest first. Returns how many were deleted.
    /// </summary>
    Task<int> PurgeAsync(IReadOnlyCollection<ActionState> states, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken);
}
