namespace Aegis.Core.Audit;

/// <summary>One sealing step of a tenant, decided by <see cref="AuditSealer"/> and written by the store as one compare-and-set.</summary>
/// <param name="Links">The events sealed, in chain order.</param>
/// <param name="Head">The chain head after them.</param>
/// <param name="Checkpoint">The checkpoint to store with them, or null.</param>
public sealed record SealPlan(IReadOnlyList<SealedLink> Links, AuditChainHead Head, AuditCheckpoint? Checkpoint);
