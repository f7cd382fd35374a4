using Aegis.Core.Audit;
using Aegis.Server.Workers;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Audit;

/// <summary>
/// Runs in every replica: asks Core's <see cref="AuditSealer"/> to chain the events written since its last round.
/// There is no leader; the store's head-row claim (<c>FOR UPDATE SKIP LOCKED</c>) lets one sealer at a time extend a
/// tenant's chain while the others seal other tenants, and its compare-and-set makes a lost race a no-op.
/// </summary>
public sealed class AuditSealerWorker(
    AuditSealer sealer, TimeProvider time, IOptions<AuditOptions> options, ILogger<AuditSealerWorker> logger, IEnumerable<IWorkerLagObserver> observers)
    : PeriodicWorker(time, logger, observers)
{
    /// <inheritdoc />
    public override string Name => "audit-sealer";

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.SealIntervalMilliseconds);

    /// <inheritdoc />
    protected override bool RunAtStart => true;

    /// <summary>Seals one batch per tenant now; true when some tenant's batch was full.</summary>
    public override Task<bool> RunRoundAsync(CancellationToken cancellationToken) =>
        sealer.SealRoundAsync(options.Value.SealBatchSize, TimeSpan.FromSeconds(options.Value.CheckpointSeconds), cancellationToken);
}
