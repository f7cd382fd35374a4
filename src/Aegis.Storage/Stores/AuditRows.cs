using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Aegis.Storage.Entities;

namespace Aegis.Storage.Stores;

/// <summary>
/// Builds the <c>audit_events</c> row that a store writes in the transaction of the change it records. A store of
/// anything (policies, webhooks…) adds its events with <c>db.AuditEvents.Add(AuditRows.For(tenant, entry, at))</c>.
/// </summary>
public static class AuditRows
{
    /// <summary>The columns every insert of an audit row writes, in the order of <see cref="Values"/>.</summary>
    public const string Columns = "tenant_id, action_id, thread_id, kind, actor, actor_method, cause_request_id, before, after, data, occurred_at";

    /// <summary>The row for <paramref name="audit"/> on <paramref name="action"/>.</summary>
    public static AuditEventEntity For(ActionRecord action, AuditEntry audit, DateTimeOffset at) =>
        For(action.TenantId, audit, at, action.Id, action.ThreadId);

    /// <summary>The row for <paramref name="audit"/> of the tenant, optionally about an action.</summary>
    public static AuditEventEntity For(string tenantId, AuditEntry audit, DateTimeOffset at, Guid? actionId = null, string? threadId = null) => new()
    {
        TenantId = tenantId,
        ActionId = actionId,
        ThreadId = threadId,
        Kind = audit.Kind,
        Actor = audit.Actor,
        ActorMethod = audit.Method,
        CauseRequestId = audit.CauseRequestId,
        Before = audit.BeforeJson,
        After = audit.AfterJson,
        Data = audit.DataJson,
        OccurredAt = at,
    };

    /// <summary>
    /// The parameter values of <see cref="Columns"/> after <c>tenant_id, action_id, thread_id</c> and before
    /// <c>occurred_at</c>, named <c>@audit_…</c> plus <paramref name="suffix"/> (several events in one statement), for
    /// hand-written inserts.
    /// </summary>
    public static IEnumerable<(string Name, object? Value)> Values(AuditEntry audit, string suffix = "") =>
    [
        ("@audit_kind" + suffix, audit.Kind),
        ("@audit_actor" + suffix, audit.Actor),
        ("@audit_method" + suffix, audit.Method),
        ("@audit_cause" + suffix, audit.CauseRequestId),
        ("@audit_before" + suffix, audit.BeforeJson),
        ("@audit_after" + suffix, audit.AfterJson),
        ("@audit_data" + suffix, audit.DataJson),
    ];

    /// <summary>The placeholders of <see cref="Values"/> with the same <paramref name="suffix"/>, JSON ones cast with <paramref name="dialect"/>.</summary>
    public static string Placeholders(StorageDialect dialect, string suffix = "") =>
        $"@audit_kind{suffix}, @audit_actor{suffix}, @audit_method{suffix}, @audit_cause{suffix}, "
        + $"{dialect.Json("@audit_before" + suffix)}, {dialect.Json("@audit_after" + suffix)}, {dialect.Json("@audit_data" + suffix)}";
}
