using Aegis.Core.Audit;

namespace Aegis.Core.Ports;

/// <summary>Reads the audit log and seals its chains. Rows themselves are written by the stores of what they record.</summary>
public interface IAuditStore
{
    /// <summary>Up to <paramref name="limit"/> of the tenant's events matching <paramref name="query"/> with ids below <paramref name="beforeId"/> (all when null), newest first.</summary>
    Task<IReadOnlyList<AuditEventRecord>> ListAsync(string tenantId, AuditQuery query, long? beforeId, int limit, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> of the tenant's events matching <paramref name="query"/> with ids above <paramref name="afterId"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditEventRecord>> ListForwardAsync(string tenantId, AuditQuery query, long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> tenants that have events waiting for the sealer.</summary>
    Task<IReadOnlyList<string>> TenantsWithUnsealedAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Seals up to <paramref name="limit"/> of the tenant's unsealed events (in id order) in one transaction: takes the
    /// tenant's chain head row unless another sealer holds it (then returns 0, changing nothing), asks
    /// <paramref name="plan"/> for the links, writes them onto rows that are still unsealed, moves the head with a
    /// compare-and-set on its position and stores the plan's checkpoint. Returns the number of events sealed.
    /// </summary>
    Task<int> SealAsync(string tenantId, int limit, Func<AuditChainHead, IReadOnlyList<AuditEventRecord>, SealPlan> plan, CancellationToken cancellationToken);

    /// <summary>The tenant's chain head (<see cref="AuditChainHead.Empty"/> when nothing is sealed).</summary>
    Task<AuditChainHead> FindHeadAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's chain as stored, read a page at a time: every event with a position, by position, then every event
    /// with a hash but no position (which no sealer wrote).
    /// </summary>
    IAsyncEnumerable<AuditEventRecord> ReadChainAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>The tenant's checkpoints by position, read a page at a time.</summary>
    IAsyncEnumerable<AuditCheckpoint> ReadCheckpointsAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>How many of the tenant's events wait for the sealer.</summary>
    Task<long> CountUnsealedAsync(string tenantId, CancellationToken cancellationToken);
}
