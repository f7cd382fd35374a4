using Aegis.Core.Actions;

namespace Aegis.Core.Ports;

/// <summary>
/// Durable execution transitions. Each is one compare-and-set <c>UPDATE … WHERE</c> in one transaction with its
/// audit row (when given); a lost compare-and-set changes nothing and returns null.
/// </summary>
public interface IExecutionStore
{
    /// <summary>
    /// Applies <paramref name="change"/> only if the action is still in <paramref name="expectedState"/> at
    /// <paramref name="expectedVersion"/> (granting a lease, or failing an expired one for good).
    /// </summary>
    Task<ActionRecord?> TryUpdateAsync(
        string tenantId, Guid id, ActionState expectedState, long expectedVersion, ExecutionChange change, AuditEntry? audit, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> only if the action is EXECUTING under <paramref name="fencingToken"/>
    /// (completing, failing or extending the caller's own lease).
    /// </summary>
    Task<ActionRecord?> TryUpdateLeasedAsync(
        string tenantId, Guid id, long fencingToken, ExecutionChange change, AuditEntry? audit, CancellationToken cancellationToken);

    /// <summary>
    /// Finds up to <paramref name="batchSize"/> EXECUTING actions whose lease ended at or before
    /// <paramref name="now"/> — skipping rows another replica has locked (PostgreSQL <c>FOR UPDATE SKIP LOCKED</c>) —
    /// and applies the transition <paramref name="decide"/> returns for each, in one transaction. Returns the
    /// actions as changed.
    /// </summary>
    Task<IReadOnlyList<ActionRecord>> ReapExpiredLeasesAsync(
        DateTimeOffset now, int batchSize, Func<ActionRecord, (ExecutionChange Change, AuditEntry Audit)> decide, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> actions in one of <paramref name="states"/> last changed before
    /// <paramref name="cutoff"/>. Returns how many were deleted.
    /// </summary>
    Task<int> PurgeAsync(IReadOnlyCollection<ActionState> states, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
