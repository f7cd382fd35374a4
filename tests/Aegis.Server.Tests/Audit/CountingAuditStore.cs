using Aegis.Core.Audit;
using Aegis.Core.Ports;

namespace Aegis.Server.Tests.Audit;

/// <summary>An <see cref="IAuditStore"/> that counts what one sealer sealed and how often it found a tenant taken.</summary>
public sealed class CountingAuditStore(IAuditStore inner) : IAuditStore
{
    private long _sealed;
    private long _emptySteps;

    /// <summary>Events this store's sealer sealed.</summary>
    public long Sealed => Interlocked.Read(ref _sealed);

    /// <summary>Sealing steps that sealed nothing (the tenant was held by the other sealer, or had nothing left).</summary>
    public long EmptySteps => Interlocked.Read(ref _emptySteps);

    /// <inheritdoc />
    public async Task<int> SealAsync(string tenantId, int limit, Func<AuditChainHead, IReadOnlyList<AuditEventRecord>, SealPlan> plan, CancellationToken cancellationToken)
    {
        var n = await inner.SealAsync(tenantId, limit, plan, cancellationToken);
        Interlocked.Add(ref _sealed, n);
        if (n == 0)
        {
            Interlocked.Increment(ref _emptySteps);
        }

        return n;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEventRecord>> ListAsync(string tenantId, AuditQuery query, long? beforeId, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(tenantId, query, beforeId, limit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEventRecord>> ListForwardAsync(string tenantId, AuditQuery query, long afterId, int limit, CancellationToken cancellationToken) =>
        inner.ListForwardAsync(tenantId, query, afterId, limit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> TenantsWithUnsealedAsync(int limit, CancellationToken cancellationToken) => inner.TenantsWithUnsealedAsync(limit, cancellationToken);

    /// <inheritdoc />
    public Task<AuditChainHead> FindHeadAsync(string tenantId, CancellationToken cancellationToken) => inner.FindHeadAsync(tenantId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<AuditEventRecord> ReadChainAsync(string tenantId, CancellationToken cancellationToken) => inner.ReadChainAsync(tenantId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<AuditCheckpoint> ReadCheckpointsAsync(string tenantId, CancellationToken cancellationToken) => inner.ReadCheckpointsAsync(tenantId, cancellationToken);

    /// <inheritdoc />
    public Task<long> CountUnsealedAsync(string tenantId, CancellationToken cancellationToken) => inner.CountUnsealedAsync(tenantId, cancellationToken);
}
