namespace Aegis.Core.Audit;

/// <summary>The first break found in a tenant's chain.</summary>
/// <param name="Kind">Altered, inserted or missing.</param>
/// <param name="EventId">The event at fault (for a missing one: the id its successor or the head names).</param>
/// <param name="Position">The chain position at which the break was found (1 = first event).</param>
/// <param name="Message">What was found, for people.</param>
public sealed record AuditProblem(AuditProblemKind Kind, long EventId, long Position, string Message);
