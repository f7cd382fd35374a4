using Aegis.Core.Actions;

namespace Aegis.Core.Ports;

/// <summary>
/// Durable storage of actions: the only source of truth. Every method that changes an action does so in one
/// transaction together with its audit event, and returns only after the commit.
/// </summary>
public interface IActionStore
{
    /// <summary>
    /// Inserts <paramref name="action"/> unless its (tenant, idempotency key) exists; never waits on or overwrites
    /// the existing row. Writes <paramref name="audit"/> only when the row was created.
    /// </summary>
    Task<InsertResult> InsertAsync(ActionRecord action, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>
    /// Compare-and-set: applies <paramref name="decision"/> to the action only if it is still in
    /// <paramref name="expectedState"/> at <paramref name="expectedVersion"/>. Returns the updated action, or null
    /// when another writer got there first.
    /// </summary>
    Task<ActionRecord?> TryDecideAsync(
        string tenantId, Guid id, ActionState expectedState, long expectedVersion, Decision decision, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Finds an action by id within a tenant, or across tenants when <paramref name="tenantId"/> is null.</summary>
    Task<ActionRecord?> FindByIdAsync(string? tenantId, Guid id, CancellationToken cancellationToken);

    /// <summary>Finds an action by its idempotency key within a tenant.</summary>
    Task<ActionRecord?> FindByKeyAsync(string tenantId, string idempotencyKey, CancellationToken cancellationToken);
}
