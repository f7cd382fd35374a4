using Aegis.Core.Actions;
using Aegis.Core.Ports;

namespace Aegis.Core.Tests.Actions;

/// <summary>
/// A fake store for Core unit tests only (functional tests use the real databases). Like the real one, it decides
/// nothing: it applies the state machine's transitions as compare-and-sets on (state, version), and records each.
/// </summary>
internal sealed class InMemoryActionStore : IActionStore, ITransitionStore
{
    private readonly object _gate = new();
    private readonly List<ActionRecord> _rows = [];

    public List<AuditEntry> Audit { get; } = [];

    /// <summary>Every transition that committed, in order.</summary>
    public List<ActionTransition> Applied { get; } = [];

    /// <summary>When set, runs just before a compare-and-set, to plant a concurrent writer.</summary>
    public Action? BeforeCompareAndSet { get; set; }

    public Task<InsertResult> InsertAsync(ActionRecord action, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var existing = _rows.FirstOrDefault(r => r.TenantId == action.TenantId && r.IdempotencyKey == action.IdempotencyKey);
            if (existing is not null)
            {
                return Task.FromResult(new InsertResult(false, existing));
            }

            _rows.Add(action);
            Audit.Add(audit);
            return Task.FromResult(new InsertResult(true, action));
        }
    }

    public Task<ActionRecord?> TryApplyAsync(ActionTransition transition, CancellationToken cancellationToken)
    {
        BeforeCompareAndSet?.Invoke();
        lock (_gate)
        {
            return Task.FromResult(Apply(transition));
        }
    }

    public Task<IReadOnlyList<ActionRecord>> ApplyToDueAsync(
        ActionTimer timer, DateTimeOffset now, int limit, Func<ActionRecord, ActionTransition?> decide, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var state = ActionStateMachine.WaitingOn(timer);
            var due = _rows
                .Where(r => r.State == state && Due(r, timer) <= now)
                .Take(limit)
                .ToList();
            var changed = due.Select(decide).OfType<ActionTransition>().Select(Apply).OfType<ActionRecord>().ToList();
            return Task.FromResult<IReadOnlyList<ActionRecord>>(changed);
        }
    }

    public Task<int> PurgeAsync(IReadOnlyCollection<ActionState> states, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var purged = _rows.Where(r => states.Contains(r.State) && r.UpdatedAt < cutoff).Take(limit).ToList();
            _rows.RemoveAll(purged.Contains);
            return Task.FromResult(purged.Count);
        }
    }

    public Task<ActionRecord?> FindByIdAsync(string? tenantId, Guid id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.FirstOrDefault(r => r.Id == id && (tenantId is null || r.TenantId == tenantId)));
        }
    }

    public Task<ActionRecord?> FindByKeyAsync(string tenantId, string idempotencyKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.FirstOrDefault(r => r.TenantId == tenantId && r.IdempotencyKey == idempotencyKey));
        }
    }

    private static DateTimeOffset? Due(ActionRecord r, ActionTimer timer) => timer switch
    {
        ActionTimer.DecisionDeadline => r.DecisionDeadline,
        ActionTimer.LeaseExpiry => r.LeaseExpiresAt,
        _ => r.EscalateAt,
    };

    /// <summary>Plants a row directly (e.g. a PENDING action made by the gate).</summary>
    public void Seed(ActionRecord action)
    {
        lock (_gate)
        {
            _rows.Add(action);
        }
    }

    /// <summary>Overwrites a row directly (a concurrent writer).</summary>
    public void Replace(ActionRecord action)
    {
        lock (_gate)
        {
            _rows[_rows.FindIndex(r => r.Id == action.Id)] = action;
        }
    }

    private ActionRecord? Apply(ActionTransition transition)
    {
        var from = transition.From;
        var index = _rows.FindIndex(r => r.TenantId == from.TenantId && r.Id == from.Id && r.State == from.State && r.Version == from.Version);
        if (index < 0)
        {
            return null;
        }

        _rows[index] = transition.To;
        Audit.AddRange(transition.AllAudit);

        Applied.Add(transition);
        return transition.To;
    }
}
