using Aegis.Core.Ports;

namespace Aegis.Core.Actions;

/// <summary>
/// One transition decided by <see cref="ActionStateMachine"/>: the action as it was read, the action as it will be,
/// and the audit event recorded with it. A store applies it as one compare-and-set on <see cref="From"/>'s state and
/// version, writing <see cref="To"/>'s mutable columns and <see cref="Audit"/> in one transaction; it decides nothing.
/// </summary>
/// <param name="From">The action as read; the compare-and-set expects its state and version.</param>
/// <param name="To">The action after the transition (version + 1).</param>
/// <param name="Audit">The audit event, or null for a change that is not a transition of its own (a lease heartbeat).</param>
/// <param name="MoreAudit">Further events of the same transition, written after <paramref name="Audit"/> (an edit that also decides).</param>
public sealed record ActionTransition(ActionRecord From, ActionRecord To, AuditEntry? Audit, IReadOnlyList<AuditEntry>? MoreAudit = null)
{
    /// <summary>Every audit event of the transition, in order.</summary>
    public IEnumerable<AuditEntry> AllAudit => (Audit is null ? [] : new[] { Audit }).Concat(MoreAudit ?? []);
}
