using System.Threading.Channels;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Server.Notifications;
using Microsoft.Extensions.Time.Testing;

namespace Aegis.Server.Tests.Notifications;

/// <summary>The replica's subscription registry: routing by tenant and action, bounded buffers, leak-free disposal.</summary>
public sealed class ActionEventHubTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    [Fact]
    public void Transitions_reach_only_subscriptions_of_their_tenant_and_action()
    {
        var hub = new ActionEventHub(_time);
        var action = Action("acme");
        using var one = hub.Subscribe("acme", action.Id);
        using var tenant = hub.Subscribe("acme", null);
        using var otherAction = hub.Subscribe("acme", Guid.CreateVersion7());
        using var otherTenant = hub.Subscribe("globex", null);

        hub.Dispatch(action, NotificationSource.Local);

        Assert.True(one.Events.TryRead(out _));
        Assert.True(tenant.Events.TryRead(out _));
        Assert.False(otherAction.Events.TryRead(out _));
        Assert.False(otherTenant.Events.TryRead(out _));
        Assert.Equal(1, hub.Dispatched(NotificationSource.Local));
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_dropped_with_WATCHER_TOO_SLOW_instead_of_buffering_without_bound()
    {
        var hub = new ActionEventHub(_time);
        var action = Action("acme");
        using var slow = hub.Subscribe("acme", action.Id);

        for (var i = 0; i <= ActionEventHub.Capacity; i++)
        {
            hub.Dispatch(action with { Version = i + 1 }, NotificationSource.Local);
        }

        Assert.Equal(0, hub.LiveSubscriptions);
        while (slow.Events.TryRead(out _))
        {
        }

        await Assert.ThrowsAsync<WatcherTooSlowException>(() => slow.Events.Completion);
    }

    [Fact]
    public void Disposing_a_subscription_removes_it()
    {
        var hub = new ActionEventHub(_time);
        var subscription = hub.Subscribe("acme", null);
        Assert.Equal(1, hub.LiveSubscriptions);

        subscription.Dispose();

        Assert.Equal(0, hub.LiveSubscriptions);
        Assert.True(subscription.Events.Completion.IsCompleted);
    }

    [Fact]
    public void Polled_rows_older_than_a_tenant_wide_subscription_are_not_news_to_it()
    {
        var hub = new ActionEventHub(_time);
        using var tenant = hub.Subscribe("acme", null);
        var old = Action("acme") with { UpdatedAt = _time.GetUtcNow().AddMinutes(-1) };
        var fresh = Action("acme") with { UpdatedAt = _time.GetUtcNow() };

        hub.Dispatch(old, NotificationSource.Database);
        hub.Dispatch(fresh, NotificationSource.Database);

        Assert.True(tenant.Events.TryRead(out var first));
        Assert.Equal(fresh.Id, first.Id);
        Assert.False(tenant.Events.TryRead(out _));
    }

    private ActionRecord Action(string tenant) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenant,
        IdempotencyKey = "k",
        ThreadId = "t",
        PayloadJson = "{}",
        PayloadHash = Payload.Empty.Hash,
        State = ActionState.Pending,
        CreatedAt = _time.GetUtcNow(),
        UpdatedAt = _time.GetUtcNow(),
        Version = 1,
    };
}
