using Aegis.Core.Actions;
using Aegis.Core.Ports;

namespace Aegis.Core.Tests.Watching;

/// <summary>An in-memory action store for unit tests of the watch logic (only the reads it uses).</summary>
internal sealed class FakeActionStore : IActionStore
{
    private readonly Dictionary<Guid, ActionRecord> _actions = [];

    /// <summary>Runs just before each read by id (to model what happens between subscribe and snapshot).</summary>
    public Action<Guid>? BeforeRead { get; set; }

    public void Put(ActionRecord action) => _actions[action.Id] = action;

    public Task<ActionRecord?> FindByIdAsync(string? tenantId, Guid id, CancellationToken cancellationToken)
    {
        BeforeRead?.Invoke(id);
        return Task.FromResult(_actions.TryGetValue(id, out var a) && (tenantId is null || a.TenantId == tenantId) ? a : null);
    }

    public Task<ActionRecord?> FindByKeyAsync(string tenantId, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(_actions.Values.FirstOrDefault(a => a.TenantId == tenantId && a.IdempotencyKey == idempotencyKey));

    public Task<InsertResult> InsertAsync(ActionRecord action, AuditEntry audit, CancellationToken cancellationToken) => throw new NotSupportedException();

}
