namespace Aegis.Core.Audit;

/// <summary>
/// Where a tenant's sealed chain ends: written only by the sealer, in the transaction that seals (see docs/audit.md).
/// </summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="LastSequence">Events sealed so far (the position of the last one); 0 before the first.</param>
/// <param name="LastId">Id of the last sealed event; 0 before the first.</param>
/// <param name="LastHash">Hash of the last sealed event; <see cref="AuditChain.Genesis"/> before the first.</param>
/// <param name="CheckpointedAt">When the last checkpoint was stored; null before the first.</param>
public sealed record AuditChainHead(string TenantId, long LastSequence, long LastId, string LastHash, DateTimeOffset? CheckpointedAt)
{
    /// <summary>The head of a tenant with nothing sealed.</summary>
    public static AuditChainHead Empty(string tenantId) => new(tenantId, 0, 0, AuditChain.Genesis, null);
}
