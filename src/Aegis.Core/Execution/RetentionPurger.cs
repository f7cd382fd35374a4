using Aegis.Core.Actions;
using Aegis.Core.Ports;

namespace Aegis.Core.Execution;

/// <summary>
/// Deletes finished actions (REJECTED, EXPIRED, COMMITTED, FAILED) and their stored results once they are older
/// than the retention window, in batches so no transaction grows large. Unfinished actions are never purged.
/// After the window a retry with the same key is a new action; the window is published by the API for that reason.
/// </summary>
public sealed class RetentionPurger(IExecutionStore store, RetentionSettings settings, TimeProvider time)
{
    /// <summary>Rows deleted per statement.</summary>
    public const int BatchSize = 1000;

    private static readonly ActionState[] Finished = [ActionState.Rejected, ActionState.Expired, ActionState.Committed, ActionState.Failed];

    /// <summary>The configured window.</summary>
    public RetentionSettings Settings => settings;

    /// <summary>Purges everything past the window now. Returns how many actions were deleted.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = Clock.Now(time) - settings.Window;
        var total = 0;
        while (true)
        {
            var deleted = await store.PurgeAsync(Finished, cutoff, BatchSize, cancellationToken);
            total += deleted;
            if (deleted < BatchSize)
            {
                return total;
            }
        }
    }
}
