using System.Collections.Concurrent;
using System.Threading.Channels;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Observability;
using Aegis.Core.Ports;

namespace Aegis.Server.Notifications;

/// <summary>
/// This replica's registry of live watch subscriptions, and the one place transitions are handed to them, whatever
/// their source (local write, Redis, database poll). It counts live subscriptions so leaks are visible.
/// </summary>
public sealed class ActionEventHub(TimeProvider time) : IActionSubscriber
{
    /// <summary>How many transitions a subscriber may have unread before it is dropped.</summary>
    public const int Capacity = 1024;

    // Polled rows of a whole tenant may predate a tenant-wide subscription; those older than this margin before it
    // began are not news to it (per-action watches need no such filter: they compare versions).
    private static readonly TimeSpan PolledAgeMargin = TimeSpan.FromSeconds(1);

    // Metric label per source, lower case as Prometheus labels are; indexed like _dispatched.
    private static readonly string[] SourceLabels = Enum.GetNames<NotificationSource>().Select(n => n.ToLowerInvariant()).ToArray();

    private readonly ConcurrentDictionary<long, Subscription> _subscriptions = new();
    private readonly long[] _dispatched = new long[Enum.GetValues<NotificationSource>().Length];
    private long _nextId;

    /// <summary>Subscriptions currently open on this replica.</summary>
    public int LiveSubscriptions => _subscriptions.Count;

    /// <summary>How many transitions arrived from <paramref name="source"/> and matched at least one subscription.</summary>
    public long Dispatched(NotificationSource source) => Interlocked.Read(ref _dispatched[(int)source]);

    /// <inheritdoc />
    public ActionSubscription Subscribe(string tenantId, Guid? actionId)
    {
        var id = Interlocked.Increment(ref _nextId);
        var subscription = new Subscription(this, id, tenantId, actionId, time.GetUtcNow());
        _subscriptions[id] = subscription;
        return subscription;
    }

    /// <summary>Hands <paramref name="action"/> to every matching subscription. Never blocks and never throws.</summary>
    public void Dispatch(ActionRecord action, NotificationSource source)
    {
        var matched = false;
        foreach (var subscription in _subscriptions.Values)
        {
            if (subscription.TenantId != action.TenantId || (subscription.ActionId is { } only && only != action.Id))
            {
                continue;
            }

            if (source == NotificationSource.Database && subscription.ActionId is null && action.UpdatedAt < subscription.Since - PolledAgeMargin)
            {
                continue;
            }

            matched = true;
            if (!subscription.Channel.Writer.TryWrite(action))
            {
                // Full: the reader stopped keeping up. Drop it rather than buffer without bound; it re-watches.
                subscription.Channel.Writer.TryComplete(new WatcherTooSlowException());
                _subscriptions.TryRemove(subscription.Id, out _);
            }
        }

        if (matched)
        {
            Interlocked.Increment(ref _dispatched[(int)source]);
            AegisMetrics.NotificationDispatched(SourceLabels[(int)source]);
        }
    }

    /// <summary>What the live subscriptions watch: single actions by id, and whole tenants.</summary>
    public (IReadOnlyCollection<Guid> ActionIds, IReadOnlyCollection<string> TenantIds) Watched()
    {
        var ids = new HashSet<Guid>();
        var tenants = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subscription in _subscriptions.Values)
        {
            if (subscription.ActionId is { } id)
            {
                ids.Add(id);
            }
            else
            {
                tenants.Add(subscription.TenantId);
            }
        }

        return (ids, tenants);
    }

    private void Remove(long id) => _subscriptions.TryRemove(id, out _);

    private sealed class Subscription(ActionEventHub hub, long id, string tenantId, Guid? actionId, DateTimeOffset since) : ActionSubscription
    {
        public long Id { get; } = id;

        public string TenantId { get; } = tenantId;

        public Guid? ActionId { get; } = actionId;

        public DateTimeOffset Since { get; } = since;

        public Channel<ActionRecord> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<ActionRecord>(
            new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        public override ChannelReader<ActionRecord> Events => Channel.Reader;

        protected override void Dispose(bool disposing)
        {
            hub.Remove(Id);
            Channel.Writer.TryComplete();
        }
    }
}
