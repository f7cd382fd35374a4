using Aegis.Core.Ports;
using Aegis.Storage.Entities;

namespace Aegis.Storage.Stores;

/// <summary>Builds the audit row that every store writes in the transaction of the change it records.</summary>
public static class AuditRows
{
    /// <summary>The <c>audit_events</c> row for <paramref name="audit"/> on an action.</summary>
    public static AuditEventEntity For(string tenantId, Guid actionId, AuditEntry audit, DateTimeOffset at) => Row(tenantId, actionId, audit, at);

    /// <summary>The <c>audit_events</c> row for <paramref name="audit"/> on the tenant itself (a policy change), not an action.</summary>
    public static AuditEventEntity ForTenant(string tenantId, AuditEntry audit, DateTimeOffset at) => Row(tenantId, null, audit, at);

    private static AuditEventEntity Row(string tenantId, Guid? actionId, AuditEntry audit, DateTimeOffset at) => new()
    {
        TenantId = tenantId,
        ActionId = actionId,
        Kind = audit.Kind,
        Actor = audit.Actor,
        Data = audit.DataJson,
        OccurredAt = at,
    };
}
