using Aegis.Core.Execution;
using Aegis.Server.Workers;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Execution;

/// <summary>Runs the <see cref="RetentionPurger"/> in this replica every <see cref="RetentionOptions.PurgeIntervalMinutes"/>.</summary>
public sealed class RetentionPurgeService(
    RetentionPurger purger, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionPurgeService> logger, IEnumerable<IWorkerLagObserver> observers)
    : PeriodicWorker(time, logger, observers)
{
    /// <inheritdoc />
    public override string Name => "retention";

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromMinutes(options.Value.PurgeIntervalMinutes);

    /// <inheritdoc />
    public override async Task<bool> RunRoundAsync(CancellationToken cancellationToken)
    {
        // The purger itself deletes batch after batch until nothing past the window is left.
        var purged = await purger.PurgeOnceAsync(cancellationToken);
        if (purged > 0)
        {
            Logger.ActionsPurged(purged, options.Value.Days);
        }

        return false;
    }
}
