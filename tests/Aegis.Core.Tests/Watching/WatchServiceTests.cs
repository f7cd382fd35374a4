using Aegis.Core.Actions;
using Aegis.Core.Identity;
using Aegis.Core.Watching;
using Microsoft.Extensions.Time.Testing;

namespace Aegis.Core.Tests.Watching;

public sealed class WatchServiceTests
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private static readonly Principal Caller = new("acme", "tenant-header", Roles.All);

    private readonly FakeActionStore _store = new();
    private readonly FakeSubscriber _subscriber = new();
    private readonly FakeTimeProvider _time = new();
    private readonly WatchService _watches;

    public WatchServiceTests() => _watches = new WatchService(_store, _subscriber, new WatchSettings(Heartbeat), _time);

    [Fact]
    public async Task Watch_subscribes_before_it_reads_the_snapshot()
    {
        var pending = Pending();
        _store.Put(pending);
        var liveAtRead = -1;
        _store.BeforeRead = _ => liveAtRead = _subscriber.Live;

        await using var events = _watches.WatchDecisionAsync(Caller, pending.Id, null, WatchUntil.Decided, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());

        Assert.Equal(1, liveAtRead);
    }

    [Fact]
    public async Task A_decision_committed_between_subscribe_and_snapshot_is_sent_once_in_the_snapshot_and_the_watch_ends()
    {
        var pending = Pending();
        _store.Put(pending);
        var approved = Approved(pending);
        _store.BeforeRead = _ =>
        {
            // The decision commits and is published right after the watch subscribed, before its snapshot read.
            _store.Put(approved);
            _subscriber.Publish(approved);
            _store.BeforeRead = null;
        };

        var events = await Collect(_watches.WatchDecisionAsync(Caller, pending.Id, null, WatchUntil.Decided, CancellationToken.None));

        var only = Assert.Single(events);
        Assert.Equal(WatchEventKind.Snapshot, only.Kind);
        Assert.Equal(ActionState.Approved, only.Action!.State);
        Assert.Equal(0, _subscriber.Live);
    }

    [Fact]
    public async Task Heartbeat_comes_after_the_configured_interval_of_silence_and_not_before()
    {
        var pending = Pending();
        _store.Put(pending);
        await using var events = _watches.WatchDecisionAsync(Caller, pending.Id, null, WatchUntil.Decided, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());

        var next = events.MoveNextAsync().AsTask();
        _time.Advance(Heartbeat - TimeSpan.FromMilliseconds(1));
        var early = next.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(early);
        Assert.True(await next.WaitAsync(Bound));
        Assert.Equal(WatchEventKind.Heartbeat, events.Current.Kind);
    }

    [Fact]
    public async Task A_transition_whose_notification_was_lost_is_sent_at_the_next_heartbeat()
    {
        var pending = Pending();
        _store.Put(pending);
        await using var events = _watches.WatchDecisionAsync(Caller, pending.Id, null, WatchUntil.Decided, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());

        _store.Put(Approved(pending));
        var next = events.MoveNextAsync().AsTask();
        _time.Advance(Heartbeat);

        Assert.True(await next.WaitAsync(Bound));
        Assert.Equal(WatchEventKind.Transition, events.Current.Kind);
        Assert.Equal(ActionState.Approved, events.Current.Action!.State);
        Assert.False(await events.MoveNextAsync());
    }

    [Fact]
    public async Task Stale_and_repeated_notifications_are_not_sent_again()
    {
        var pending = Pending();
        _store.Put(pending);
        await using var events = _watches.WatchDecisionAsync(Caller, pending.Id, null, WatchUntil.Decided, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());

        _subscriber.Publish(pending);
        _subscriber.Publish(pending);
        _subscriber.Publish(Approved(pending));

        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Bound));
        Assert.Equal(ActionState.Approved, events.Current.Action!.State);
        Assert.False(await events.MoveNextAsync());
    }

    [Fact]
    public async Task Cancelling_a_watch_frees_its_subscription()
    {
        var pending = Pending();
        _store.Put(pending);
        using var cancel = new CancellationTokenSource();
        var events = _watches.WatchDecisionAsync(Caller, pending.Id, null, WatchUntil.Decided, cancel.Token).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        var next = events.MoveNextAsync().AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Bound));
        await events.DisposeAsync();
        Assert.Equal(0, _subscriber.Live);
    }

    [Fact]
    public async Task Watching_another_tenants_action_is_not_found_and_leaves_no_subscription()
    {
        var pending = Pending() with { TenantId = "globex" };
        _store.Put(pending);

        await Assert.ThrowsAsync<Aegis.Core.Exceptions.ActionNotFoundException>(
            () => Collect(_watches.WatchDecisionAsync(Caller, pending.Id, null, WatchUntil.Decided, CancellationToken.None)));

        Assert.Equal(0, _subscriber.Live);
    }

    private static async Task<List<WatchEvent>> Collect(IAsyncEnumerable<WatchEvent> events)
    {
        var list = new List<WatchEvent>();
        await foreach (var e in events)
        {
            list.Add(e);
        }

        return list;
    }

    private static ActionRecord Pending()
    {
        var now = DateTimeOffset.UnixEpoch;
        return new ActionRecord
        {
            Id = Guid.CreateVersion7(),
            TenantId = "acme",
            IdempotencyKey = "k",
            ThreadId = "t",
            PayloadJson = "{}",
            PayloadHash = Payload.Empty.Hash,
            State = ActionState.Pending,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
    }

    private static ActionRecord Approved(ActionRecord pending) => pending with
    {
        State = ActionState.Approved,
        Decision = new Decision(DecisionOutcome.Approve, "tenant-header", DecisionMethod.Human, null, null, null, false, pending.CreatedAt),
        Version = pending.Version + 1,
    };
}
