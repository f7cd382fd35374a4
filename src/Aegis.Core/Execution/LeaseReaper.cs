using Aegis.Core.Actions;
using Aegis.Core.Observability;

namespace Aegis.Core.Execution;

/// <summary>
/// Returns expired execution leases by <see cref="ActionStateMachine.ExpireLease"/> (APPROVED again, or FAILED after
/// the last attempt), with an audit row each, and publishes every transition. Runs in every replica; the store's
/// <c>SKIP LOCKED</c> claim shares the work out.
/// </summary>
public sealed class LeaseReaper(ActionTransitions transitions, ActionStateMachine machine, TimeProvider time)
{
    /// <summary>Actions handled per transaction.</summary>
    public const int BatchSize = 100;

    /// <summary>Reaps every lease expired by now, batch after batch. Returns how many actions changed.</summary>
    public async Task<int> ReapOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var now = Clock.Now(time);
            var reaped = await transitions.ApplyToDueAsync(ActionTimer.LeaseExpiry, now, BatchSize, a => Expire(a, now), cancellationToken);
            total += reaped.Count;
            if (reaped.Count < BatchSize)
            {
                return total;
            }
        }
    }

    private ActionTransition? Expire(ActionRecord action, DateTimeOffset now)
    {
        var transition = machine.ExpireLease(action, now);
        if (transition is not null)
        {
            AegisMetrics.LeaseReaped(action.LeaseExpiresAt, now);
        }

        return transition;
    }
}
