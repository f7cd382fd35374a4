namespace Aegis.Core.Audit;

/// <summary>What the sealer writes on one event: its chain position, its predecessor and its hash.</summary>
/// <param name="EventId">The event.</param>
/// <param name="Sequence">Its position in the tenant's chain.</param>
/// <param name="PrevId">The event before it (0 for the first).</param>
/// <param name="Hash">Its chain hash.</param>
public sealed record SealedLink(long EventId, long Sequence, long PrevId, string Hash);
