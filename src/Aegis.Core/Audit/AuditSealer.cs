using Aegis.Core.Actions;
using Aegis.Core.Ports;

namespace Aegis.Core.Audit;

/// <summary>
/// Seals tenants' audit events into their chains, off the request path (see docs/audit.md, "The sealer"). Every
/// replica runs it; a tenant's chain is extended only by the sealer that holds its head row, and only as a
/// compare-and-set on the head's position, so two sealers can never give two events the same place.
/// </summary>
public sealed class AuditSealer(IAuditStore store, TimeProvider time)
{
    /// <summary>Tenants looked at per round.</summary>
    public const int TenantsPerRound = 100;

    /// <summary>
    /// Seals up to <paramref name="batchSize"/> unsealed events of each tenant that has some, storing a checkpoint with
    /// them when the tenant's last one is older than <paramref name="checkpointEvery"/>. Returns whether any tenant had
    /// a full batch (more may be waiting). A tenant another sealer holds is left to it.
    /// </summary>
    public async Task<bool> SealRoundAsync(int batchSize, TimeSpan checkpointEvery, CancellationToken cancellationToken)
    {
        var full = false;
        foreach (var tenant in await store.TenantsWithUnsealedAsync(TenantsPerRound, cancellationToken))
        {
            var now = Clock.Now(time);
            var sealedCount = await store.SealAsync(tenant, batchSize, (head, events) => Plan(head, events, now, checkpointEvery), cancellationToken);
            full |= sealedCount >= batchSize;
        }

        return full;
    }

    /// <summary>
    /// The links of <paramref name="events"/> (unsealed, in id order) after <paramref name="head"/>, the new head, and a
    /// checkpoint when the last one is at least <paramref name="checkpointEvery"/> old.
    /// </summary>
    public static SealPlan Plan(AuditChainHead head, IReadOnlyList<AuditEventRecord> events, DateTimeOffset now, TimeSpan checkpointEvery)
    {
        var links = new List<SealedLink>(events.Count);
        var (prevHash, prevId, sequence) = (head.LastHash, head.LastId, head.LastSequence);
        foreach (var e in events)
        {
            sequence++;
            var hash = AuditChain.Link(prevHash, e, prevId);
            links.Add(new SealedLink(e.Id, sequence, prevId, hash));
            (prevHash, prevId) = (hash, e.Id);
        }

        var checkpoint = links.Count > 0 && (head.CheckpointedAt is not { } last || now - last >= checkpointEvery)
            ? new AuditCheckpoint(head.TenantId, prevId, sequence, prevHash, now)
            : null;
        return new SealPlan(links, new AuditChainHead(head.TenantId, sequence, prevId, prevHash, checkpoint?.SealedAt ?? head.CheckpointedAt), checkpoint);
    }
}
