using DeadlineExpirer = Aegis.Core.Actions.DeadlineExpirer;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Aegis.Server.Tests.Gate;

/// <summary>The embedded default (SQLite, in-process notifier, no Redis) runs the same gate.</summary>
public sealed class SqliteGateTests() : EmbeddedServerTests("aegis-gate-")
{
    [Fact]
    public async Task Embedded_server_requests_watches_decides_lists_and_expires()
    {
        var client = new HitlService.HitlServiceClient(Server.Grpc);
        var decided = await GateCalls.RequestAsync(Server.Grpc, "solo", "decided", timeout: TimeSpan.FromHours(1));
        var expiring = await GateCalls.RequestAsync(Server.Grpc, "solo", "expiring", timeout: TimeSpan.FromHours(1));
        using var watch = await DecisionWatch.OpenAsync(Server.Grpc, "solo", decided.RequestId);
        using var expiryWatch = await DecisionWatch.OpenAsync(Server.Grpc, "solo", expiring.RequestId);

        await client.ApproveAsync(new ApproveRequest { IdempotencyKey = "decided", ThreadId = "thread-1" }, GateCalls.Tenant("solo"));
        var approved = Assert.Single(await watch.EndAsync(TimeSpan.FromSeconds(5)), m => m.Message.Kind == WatchEventKind.Transition).Message.Action;
        var deadlines = Server.Services.GetRequiredService<DeadlineExpirer>();
        var deadline = expiring.DecisionDeadline.ToDateTimeOffset();
        var early = await deadlines.ExpireDueAsync(deadline.AddMilliseconds(-1), 10, CancellationToken.None);
        // The expirer publishes each expiry after its commit, as the deadline worker relies on.
        await deadlines.ExpireDueAsync(deadline, 10, CancellationToken.None);

        var again = await deadlines.ExpireDueAsync(deadline.AddHours(1), 10, CancellationToken.None);
        var expired = Assert.Single(await expiryWatch.EndAsync(TimeSpan.FromSeconds(5)), m => m.Message.Kind == WatchEventKind.Transition).Message.Action;
        var page1 = await client.ListActionsAsync(new ListActionsRequest { PageSize = 1 }, GateCalls.Tenant("solo"));
        var page2 = await client.ListActionsAsync(new ListActionsRequest { PageSize = 1, PageToken = page1.NextPageToken }, GateCalls.Tenant("solo"));

        Assert.Equal(ActionState.Approved, approved.State);
        Assert.Empty(early);
        Assert.Empty(again);
        Assert.Equal(ActionState.Expired, expired.State);
        Assert.Equal(DecisionMethod.Timeout, expired.Decision.Method);
        Assert.Equal(expiring.RequestId, Assert.Single(page1.Actions).RequestId);
        Assert.Equal(decided.RequestId, Assert.Single(page2.Actions).RequestId);
    }

    [Fact]
    public async Task Embedded_server_lists_actions_by_creation_time()
    {
        var client = new HitlService.HitlServiceClient(Server.Grpc);
        var older = await GateCalls.RequestAsync(Server.Grpc, "solo", "older");
        // Stored times have millisecond precision: a few milliseconds apart, the two are told apart by time.
        await Task.Delay(5);
        var newer = await GateCalls.RequestAsync(Server.Grpc, "solo", "newer");

        var since = await client.ListActionsAsync(new ListActionsRequest { CreatedSince = newer.CreatedAt }, GateCalls.Tenant("solo"));
        var before = await client.ListActionsAsync(new ListActionsRequest { CreatedBefore = newer.CreatedAt }, GateCalls.Tenant("solo"));

        Assert.Equal(newer.RequestId, Assert.Single(since.Actions).RequestId);
        Assert.Equal(older.RequestId, Assert.Single(before.Actions).RequestId);
    }
}
