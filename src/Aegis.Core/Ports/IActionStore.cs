using Aegis.Core.Actions;

namespace Aegis.Core.Ports;

/// <summary>
/// Durable storage of actions: the only source of truth. The insert writes the action with its audit event (and
/// billing) in one transaction and returns only after the commit; transitions go through <see cref="ITransitionStore"/>.
/// </summary>
public interface IActionStore
{
    /// <summary>
    /// Inserts <paramref name="action"/> unless its (tenant, idempotency key) exists; never waits on or overwrites
    /// the existing row. Writes <paramref name="audit"/> only when the row was created.
    /// </summary>
    Task<InsertResult> InsertAsync(ActionRecord action, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Finds an action by id within a tenant, or across tenants when <paramref name="tenantId"/> is null.</summary>
    Task<ActionRecord?> FindByIdAsync(string? tenantId, Guid id, CancellationToken cancellationToken);

    /// <summary>Finds an action by its idempotency key within a tenant.</summary>
    Task<ActionRecord?> FindByKeyAsync(string tenantId, string idempotencyKey, CancellationToken cancellationToken);
}
