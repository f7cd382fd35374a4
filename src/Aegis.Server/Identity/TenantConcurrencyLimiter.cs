using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Aegis.Core.Exceptions;

namespace Aegis.Server.Identity;

/// <summary>Counts what each tenant holds open on this replica (one limiter per kind of thing) and refuses more than its limit.</summary>
/// <param name="limit">The name reported when refusing, e.g. <c>watch_streams</c>.</param>
/// <param name="max">How many one tenant may hold at once.</param>
public sealed class TenantConcurrencyLimiter(string limit, int max)
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _held = new(StringComparer.Ordinal);

    /// <summary>How many <paramref name="tenantId"/> holds now.</summary>
    public int Held(string tenantId) => _held.TryGetValue(tenantId, out var count) ? Volatile.Read(ref count.Value) : 0;

    /// <summary>Takes one slot for <paramref name="tenantId"/>; dispose the result to give it back.</summary>
    /// <exception cref="ResourceLimitExceededException">The tenant already holds <c>max</c>.</exception>
    public IDisposable Acquire(string tenantId)
    {
        // A counter per tenant, kept once created: one int per tenant seen, and no race between emptying and reuse.
        var count = _held.GetOrAdd(tenantId, _ => new StrongBox<int>());
        if (Interlocked.Increment(ref count.Value) > max)
        {
            Interlocked.Decrement(ref count.Value);
            throw new ResourceLimitExceededException(limit, max);
        }

        return new Slot(count);
    }

    private sealed class Slot(StrongBox<int> count) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref count.Value);
            }
        }
    }
}
