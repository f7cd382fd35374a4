using Aegis.Core.Actions;
using Aegis.Core.Ports;

namespace Aegis.Server.Tests.Trust;

/// <summary>
/// The real store, except that looking up a key starting with <c>block</c> waits until <see cref="Release"/>: a call
/// that stays in flight for as long as a test needs, without sleeping.
/// </summary>
public sealed class BlockingActionStore(IActionStore inner) : IActionStore
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _blocked;

    /// <summary>How many lookups are waiting now.</summary>
    public int Blocked => Volatile.Read(ref _blocked);

    /// <summary>Lets every waiting (and later) lookup go on.</summary>
    public void Release() => _released.TrySetResult();

    /// <inheritdoc />
    public async Task<ActionRecord?> FindByKeyAsync(string tenantId, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey.StartsWith("block", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _blocked);
            try
            {
                await _released.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _blocked);
            }
        }

        return await inner.FindByKeyAsync(tenantId, idempotencyKey, cancellationToken);
    }

    /// <inheritdoc />
    public Task<InsertResult> InsertAsync(ActionRecord action, AuditEntry audit, CancellationToken cancellationToken) =>
        inner.InsertAsync(action, audit, cancellationToken);

    /// <inheritdoc />
    public Task<ActionRecord?> FindByIdAsync(string? tenantId, Guid id, CancellationToken cancellationToken) =>
        inner.FindByIdAsync(tenantId, id, cancellationToken);
}
