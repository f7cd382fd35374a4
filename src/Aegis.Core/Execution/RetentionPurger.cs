using Aegis.Core.Actions;
using Aegis.Core.Ports;

namespace Aegis.Core.Execution;

/// <summary>
/// Deletes finished actions (<see cref="ActionStateMachine.TerminalStates"/>) and their stored results once they are
/// older than the retention window (<see cref="ActionStateMachine.RetentionCutoff"/>), in batches so no transaction
/// grows large. Unfinished actions are never purged. After the window a retry with the same key is a new action; the
/// window is published by the API for that reason.
/// </summary>
public sealed class RetentionPurger(ITransitionStore store, RetentionSettings settings, TimeProvider time)
{
    /// <summary>Rows deleted per statement.</summary>
    public const int BatchSize = 1000;

    /// <summary>The configured window.</summary>
    public RetentionSettings Settings => settings;

    /// <summary>Purges everything past the window now. Returns how many actions were deleted.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = ActionStateMachine.RetentionCutoff(Clock.Now(time), settings);
        var total = 0;
        while (true)
        {
            var deleted = await store.PurgeAsync(ActionStateMachine.TerminalStates, cutoff, BatchSize, cancellationToken);
            total += deleted;
            if (deleted < BatchSize)
            {
                return total;
            }
        }
    }
}
