using Aegis.Core.Execution;
using Aegis.Server.Workers;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Execution;

/// <summary>
/// Runs the <see cref="LeaseReaper"/> in this replica every <see cref="ExecutionOptions.ReaperIntervalSeconds"/>.
/// Every replica runs one; <c>SKIP LOCKED</c> in the store keeps them from doing the same work twice.
/// </summary>
public sealed class LeaseReaperService(
    LeaseReaper reaper, IOptions<ExecutionOptions> options, TimeProvider time, ILogger<LeaseReaperService> logger, IEnumerable<IWorkerLagObserver> observers)
    : PeriodicWorker(time, logger, observers)
{
    /// <inheritdoc />
    public override string Name => "lease-reaper";

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.ReaperIntervalSeconds);

    /// <inheritdoc />
    public override async Task<bool> RunRoundAsync(CancellationToken cancellationToken)
    {
        // The reaper itself works batch after batch until nothing expired is left.
        var reaped = await reaper.ReapOnceAsync(cancellationToken);
        if (reaped > 0)
        {
            Logger.LeasesReturned(reaped);
        }

        return false;
    }
}
