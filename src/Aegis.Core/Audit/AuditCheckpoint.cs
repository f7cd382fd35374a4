namespace Aegis.Core.Audit;

/// <summary>A periodic checkpoint of a tenant's chain: after <paramref name="Sequence"/> events, the last was <paramref name="LastSealedId"/> with <paramref name="Hash"/>.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="LastSealedId">Id of the last event sealed at the checkpoint.</param>
/// <param name="Sequence">How many events the chain held at the checkpoint (the position of <paramref name="LastSealedId"/>).</param>
/// <param name="Hash">The chain hash at that position.</param>
/// <param name="SealedAt">When it was stored.</param>
public sealed record AuditCheckpoint(string TenantId, long LastSealedId, long Sequence, string Hash, DateTimeOffset SealedAt);
