using System.Diagnostics;
using Aegis.Hitl.V1;
using Aegis.Server.Notifications;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aegis.Server.Tests.Gate;

/// <summary>
/// Redis dies and comes back under two replicas (in-process <see cref="AegisServer"/> instances, so the test can
/// read which path delivered each transition). The Redis is this test's own process: the shared one is never touched.
/// </summary>
[Collection(HeavyGate.Name)]
public sealed class RedisOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan DeliveryBound = TimeSpan.FromSeconds(2);
    private RedisProcess? _redis;
    private AegisServer? _a;
    private AegisServer? _b;

    private AegisServer A => _a!;

    private AegisServer B => _b!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        // See TwoReplicaFixture: idle connections of the classes that ran before are closed first.
        NpgsqlConnection.ClearAllPools();
        _redis = await RedisProcess.StartAsync();
        var database = await TestEnvironment.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = _redis.ConnectionString };
        _a = await AegisServer.StartPostgresAsync(database, settings);
        _b = await AegisServer.StartPostgresAsync(database, settings);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var server in new[] { _a, _b })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task Watches_keep_delivering_through_a_Redis_outage_and_return_to_the_fast_path_when_it_is_back()
    {
        var hubA = A.Services.GetRequiredService<ActionEventHub>();
        await WaitForFastPathAsync();
        await DecideOnBAndHearOnAAsync("before");
        Assert.True(hubA.Dispatched(NotificationSource.Redis) > 0, "before the outage, A hears B through Redis");

        using var tenantWatch = new HitlService.HitlServiceClient(A.Grpc).WatchActions(
            new WatchActionsRequest { State = ActionState.Approved }, GateCalls.Tenant("outage"));
        Assert.True(await tenantWatch.ResponseStream.MoveNext(CancellationToken.None));
        await _redis!.StopAsync();
        var polledBefore = hubA.Dispatched(NotificationSource.Database);
        var approvedDuringOutage = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            var approveTook = await DecideOnBAndHearOnAAsync($"down{i}");
            approvedDuringOutage.Add($"down{i}");
            Assert.True(approveTook < TimeSpan.FromSeconds(1), $"an approval while Redis is down took {approveTook}: writes must not wait on Redis");
        }

        // The tenant-wide watch on A hears them too (from the database), each once.
        var heard = new List<string>();
        while (!approvedDuringOutage.IsSubsetOf(heard) && await tenantWatch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(DeliveryBound))
        {
            if (tenantWatch.ResponseStream.Current.Kind == WatchEventKind.Transition)
            {
                heard.Add(tenantWatch.ResponseStream.Current.Action.IdempotencyKey);
            }
        }

        Assert.Subset(heard.ToHashSet(), approvedDuringOutage);
        Assert.Equal(heard.Distinct().Count(), heard.Count);

        Assert.True(hubA.Dispatched(NotificationSource.Database) > polledBefore, "during the outage, A heard B by reading PostgreSQL");

        await _redis.RestartAsync();
        await WaitForFastPathAsync();
        var redisBefore = hubA.Dispatched(NotificationSource.Redis);
        var polledAfter = hubA.Dispatched(NotificationSource.Database);
        await DecideOnBAndHearOnAAsync("after");

        Assert.True(hubA.Dispatched(NotificationSource.Redis) > redisBefore, "after Redis returned, A hears B through Redis again");
        Assert.Equal(polledAfter, hubA.Dispatched(NotificationSource.Database));
    }

    // Creates a PENDING action on B, watches it on A, approves it on B; returns how long the approval took after
    // asserting that A's watch was told within the delivery bound.
    private async Task<TimeSpan> DecideOnBAndHearOnAAsync(string key)
    {
        var action = await GateCalls.RequestAsync(B.Grpc, "outage", key);
        using var watch = await DecisionWatch.OpenAsync(A.Grpc, "outage", action.RequestId);
        var clock = Stopwatch.StartNew();
        await new HitlService.HitlServiceClient(B.Grpc).ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = "thread-1" }, GateCalls.Tenant("outage"));
        var approveTook = clock.Elapsed;
        var messages = await watch.EndAsync(DeliveryBound);
        Assert.Equal(ActionState.Approved, Assert.Single(messages, m => m.Message.Kind == WatchEventKind.Transition).Message.Action.State);
        return approveTook;
    }

    private async Task WaitForFastPathAsync()
    {
        var a = A.Services.GetRequiredService<IFanOutStatus>();
        var b = B.Services.GetRequiredService<IFanOutStatus>();
        await Eventually.TrueAsync(() => !a.NeedsPolling && !b.NeedsPolling, TimeSpan.FromSeconds(30), "both replicas are subscribed to Redis");
    }
}
