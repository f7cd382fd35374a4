using Aegis.Core.Exceptions;
using Aegis.Core.Ports;

namespace Aegis.Core.Actions;

/// <summary>
/// Runs a rule of <see cref="ActionStateMachine"/> against the store: asks the rule for a transition on the action as
/// read, applies it as a compare-and-set, and — when another writer changed the action first — re-reads it and asks
/// the rule again, so the rule always judges the row it changes. Committed transitions are published to watchers.
/// Nothing is held in memory between calls; exactly-once rests on the compare-and-set alone.
/// </summary>
public sealed class ActionTransitions(IActionStore actions, ITransitionStore store, IActionEventPublisher events)
{
    // A lost compare-and-set means another caller changed the row; re-reading shows its outcome. Each retry follows
    // a real change, so a handful is plenty; the bound only guards against a bug turning this into a spin.
    private const int MaxRaces = 16;

    /// <summary>
    /// Applies what <paramref name="rule"/> decides for <paramref name="current"/> (null: nothing to change, the
    /// action stands as read). Exceptions the rule throws (refusals) pass through unchanged.
    /// </summary>
    /// <param name="current">The action as last read.</param>
    /// <param name="rule">The state machine's rule for this call, judging the action as it stands.</param>
    /// <param name="cancellationToken">Cancels the store calls.</param>
    /// <param name="publish">False for changes watchers need not hear of (a lease heartbeat).</param>
    public async Task<TransitionResult> ApplyAsync(
        ActionRecord current, Func<ActionRecord, ActionTransition?> rule, CancellationToken cancellationToken, bool publish = true)
    {
        for (var race = 0; race < MaxRaces; race++)
        {
            if (rule(current) is not { } transition)
            {
                return new TransitionResult(current, Changed: false);
            }

            if (await store.TryApplyAsync(transition, cancellationToken) is { } applied)
            {
                if (publish)
                {
                    await events.PublishAsync(applied, CancellationToken.None);
                }

                return new TransitionResult(applied, Changed: true);
            }

            current = await actions.FindByIdAsync(current.TenantId, current.Id, cancellationToken) ?? throw new ActionNotFoundException();
        }

        throw new InvalidOperationException($"Lost {MaxRaces} compare-and-sets in a row on action {current.Id}.");
    }

    /// <summary>
    /// Applies <paramref name="rule"/> to every action whose <paramref name="timer"/> passed by <paramref name="now"/>,
    /// up to <paramref name="limit"/> in one transaction, and publishes each change. Returns the changed actions.
    /// </summary>
    public async Task<IReadOnlyList<ActionRecord>> ApplyToDueAsync(
        ActionTimer timer, DateTimeOffset now, int limit, Func<ActionRecord, ActionTransition?> rule, CancellationToken cancellationToken)
    {
        var changed = await store.ApplyToDueAsync(timer, now, limit, rule, cancellationToken);
        foreach (var action in changed)
        {
            await events.PublishAsync(action, CancellationToken.None);
        }

        return changed;
    }
}
