using Aegis.Core.Actions;
using Aegis.Core.Ports;

namespace Aegis.Core.Tests.Actions;

/// <summary>A fake store for Core unit tests only (functional tests use the real databases).</summary>
internal sealed class InMemoryActionStore : IActionStore
{
    private readonly object _gate = new();
    private readonly List<ActionRecord> _rows = [];

    public List<AuditEntry> Audit { get; } = [];

    /// <summary>When set, runs just before a compare-and-set, to plant a concurrent writer.</summary>
    public Action? BeforeDecide { get; set; }

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

    public Task<ActionRecord?> TryDecideAsync(
        string tenantId, Guid id, ActionState expectedState, long expectedVersion, Decision decision, AuditEntry audit, CancellationToken cancellationToken)
    {
        BeforeDecide?.Invoke();
        lock (_gate)
        {
            var index = _rows.FindIndex(r => r.TenantId == tenantId && r.Id == id && r.State == expectedState && r.Version == expectedVersion);
            if (index < 0)
            {
                return Task.FromResult<ActionRecord?>(null);
            }

            var updated = _rows[index] with { State = decision.ResultingState, Decision = decision, Version = expectedVersion + 1, UpdatedAt = decision.DecidedAt };
            _rows[index] = updated;
            Audit.Add(audit);
            return Task.FromResult<ActionRecord?>(updated);
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
}
