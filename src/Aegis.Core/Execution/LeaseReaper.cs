using Aegis.Core.Actions;
using Aegis.Core.Ports;

namespace Aegis.Core.Execution;

/// <summary>
/// Returns expired execution leases to APPROVED (or FAILED after the last attempt), with an audit row each, and
/// publishes every transition. Runs in every replica; the store's <c>SKIP LOCKED</c> shares the work out.
/// </summary>
public sealed class LeaseReaper(IExecutionStore store, ExecutionService rules, IActionEventPublisher events, TimeProvider time)
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
            var reaped = await store.ReapExpiredLeasesAsync(now, BatchSize, a => rules.Expire(a, now), cancellationToken);
            foreach (var action in reaped)
            {
                await events.PublishAsync(action, CancellationToken.None);
            }

            total += reaped.Count;
            if (reaped.Count < BatchSize)
            {
                return total;
            }
        }
    }
}
