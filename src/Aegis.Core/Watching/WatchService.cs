using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Observability;
using Aegis.Core.Ports;

namespace Aegis.Core.Watching;

/// <summary>
/// The watch use cases: stream one action until it is decided (or finished), or every transition of a tenant.
/// Notifications are hints; the database is the truth: a watch subscribes before it reads the snapshot, ignores
/// anything not newer than what it already sent (by version), and re-reads the action at every heartbeat.
/// </summary>
public sealed class WatchService(IActionStore store, IActionSubscriber subscriber, WatchSettings settings, TimeProvider time)
{
    // Bounds the per-stream memory of a tenant-wide watch that sees very many actions.
    private const int MaxTrackedVersions = 100_000;

    /// <summary>
    /// Streams the action named by <paramref name="id"/> (or, when null, by <paramref name="idempotencyKey"/>): its
    /// snapshot, then each transition, with heartbeats while idle, until <paramref name="until"/> is reached or
    /// <paramref name="cancellationToken"/> fires (client gone or deadline). The subscription is freed either way.
    /// </summary>
    /// <exception cref="ActionNotFoundException">No such action in the caller's tenant.</exception>
    /// <exception cref="WatcherTooSlowException">The stream fell too far behind.</exception>
    public async IAsyncEnumerable<WatchEvent> WatchDecisionAsync(
        Principal principal, Guid? id, string? idempotencyKey, WatchUntil until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var actionId = id ?? (await store.FindByKeyAsync(principal.TenantId, ActionInputs.IdempotencyKey(idempotencyKey), cancellationToken)
            ?? throw new ActionNotFoundException()).Id;

        // Subscribe first, then read: a transition committed in between is then both in the snapshot or after it,
        // and in the subscription; the version check drops the copy.
        using var subscription = subscriber.Subscribe(principal.TenantId, actionId);
        using var open = AegisMetrics.WatchOpened();
        var current = await store.FindByIdAsync(principal.TenantId, actionId, cancellationToken) ?? throw new ActionNotFoundException();
        yield return new WatchEvent(WatchEventKind.Snapshot, current);

        while (!IsDone(current, until))
        {
            var next = await NextAsync(subscription.Events, cancellationToken);
            if (next is null)
            {
                // Idle: re-read, so that a lost notification delays a transition by one heartbeat at most.
                var fresh = await store.FindByIdAsync(principal.TenantId, actionId, cancellationToken);
                if (fresh is null || fresh.Version <= current.Version)
                {
                    yield return WatchEvent.Heartbeat;
                    continue;
                }

                next = fresh;
            }

            if (next.Version <= current.Version)
            {
                continue;
            }

            current = next;
            yield return new WatchEvent(WatchEventKind.Transition, current);
        }
    }

    /// <summary>
    /// Streams every transition of the caller's tenant (only those into <paramref name="state"/> when given), with a
    /// heartbeat first (the subscription is live) and whenever idle, until <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <exception cref="WatcherTooSlowException">The stream fell too far behind.</exception>
    public async IAsyncEnumerable<WatchEvent> WatchActionsAsync(
        Principal principal, ActionState? state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = subscriber.Subscribe(principal.TenantId, null);
        using var open = AegisMetrics.WatchOpened();
        yield return WatchEvent.Heartbeat;

        var seen = new Dictionary<Guid, long>();
        while (true)
        {
            var next = await NextAsync(subscription.Events, cancellationToken);
            if (next is null)
            {
                yield return WatchEvent.Heartbeat;
                continue;
            }

            if (seen.TryGetValue(next.Id, out var version) && next.Version <= version)
            {
                continue;
            }

            if (seen.Count >= MaxTrackedVersions)
            {
                seen.Clear();
            }

            seen[next.Id] = next.Version;
            if (state is null || next.State == state)
            {
                yield return new WatchEvent(WatchEventKind.Transition, next);
            }
        }
    }

    /// <summary>Whether a watch with <paramref name="until"/> ends once it has sent <paramref name="action"/>.</summary>
    public static bool IsDone(ActionRecord action, WatchUntil until) =>
        until == WatchUntil.Finished ? ActionStateMachine.IsTerminal(action.State) : ActionStateMachine.IsDecided(action.State);

    // The next notification, or null when a heartbeat interval passed without one.
    private async Task<ActionRecord?> NextAsync(ChannelReader<ActionRecord> events, CancellationToken cancellationToken)
    {
        if (events.TryRead(out var ready))
        {
            return ready;
        }

        using var idle = new CancellationTokenSource(settings.HeartbeatInterval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            while (await events.WaitToReadAsync(linked.Token))
            {
                if (events.TryRead(out var next))
                {
                    return next;
                }
            }
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        // Completed without an error: the subscriber was shut down (server stopping).
        throw new WatcherTooSlowException();
    }
}
