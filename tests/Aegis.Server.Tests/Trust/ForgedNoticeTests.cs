using System.Text.Json;
using Aegis.Hitl.V1;
using Aegis.Server.Notifications;
using Aegis.Server.Tests.Gate;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Aegis.Server.Tests.Trust;

/// <summary>
/// Redis carries notices, not facts: two replicas over one PostgreSQL and the real Redis. What a watcher sees is read
/// from the database, once per transition per replica, so a notice published by anyone who can reach Redis shows
/// nothing that did not happen.
/// </summary>
public sealed class ForgedNoticeTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private AegisServer? _a;
    private AegisServer? _b;
    private ConnectionMultiplexer? _redis;
    private string _db = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _db = await TestEnvironment.CreateDatabaseAsync();
        // Heartbeats (which re-read the action) and the database fallback are slowed far beyond the test's bound:
        // whatever a watcher receives within it came through a notice.
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestEnvironment.Redis,
            ["Aegis:Notifications:HeartbeatSeconds"] = "120",
            ["Aegis:Notifications:FallbackPollMilliseconds"] = "10000",
        };
        _a = await AegisServer.StartPostgresAsync(_db, settings);
        _b = await AegisServer.StartPostgresAsync(_db, settings);
        _redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _a!.DisposeAsync();
        await _b!.DisposeAsync();
        await _redis!.DisposeAsync();
    }

    [Fact]
    public async Task A_forged_APPROVED_notice_published_into_Redis_shows_nothing_on_any_replica_and_the_action_stays_PENDING()
    {
        var tenant = "forge-" + Guid.NewGuid().ToString("N")[..8];
        var pending = await GateCalls.RequestAsync(_a!.Grpc, tenant, "k", timeout: TimeSpan.FromHours(1));
        using var onA = await DecisionWatch.OpenAsync(_a.Grpc, tenant, pending.RequestId);
        using var onB = await DecisionWatch.OpenAsync(_b!.Grpc, tenant, pending.RequestId);
        var readsBefore = (Reads(_a), Reads(_b));

        // The old message format (a whole action, APPROVED by a forger), then a notice claiming version 2.
        var forgedAction = JsonSerializer.Serialize(new
        {
            Origin = "forger",
            Action = new { Id = pending.RequestId, TenantId = tenant, IdempotencyKey = "k", ThreadId = "thread-1", PayloadJson = "{}", PayloadHash = "", State = "Approved", Version = 2 },
        });
        var forgedNotice = JsonSerializer.Serialize(new { Origin = "forger", TenantId = tenant, RequestId = pending.RequestId, Version = 2L, State = "APPROVED" });
        var subscriber = _redis!.GetSubscriber();
        await subscriber.PublishAsync(RedisActionNotifier.Channel, forgedAction);
        await subscriber.PublishAsync(RedisActionNotifier.Channel, forgedNotice);

        // Each replica read the action once because of the notice and handed its watchers what it read: PENDING v1.
        await Eventually.TrueAsync(() => Task.FromResult(Reads(_a) > readsBefore.Item1 && Reads(_b) > readsBefore.Item2), Bound, "both replicas read the noticed action");
        Assert.False(onA.Completion.IsCompleted);
        Assert.False(onB.Completion.IsCompleted);
        Assert.Equal("PENDING", await Db.ScalarAsync<string>(_db, "SELECT state FROM actions WHERE id = @id", ("id", Guid.Parse(pending.RequestId))));
        Assert.Equal(ActionState.Pending, (await new HitlService.HitlServiceClient(_b.Grpc).GetStatusAsync(
            new GetStatusRequest { RequestId = pending.RequestId }, GateCalls.Tenant(tenant))).Action.State);

        // A real decision then reaches both watchers, and it is the only transition either saw.
        await new HitlService.HitlServiceClient(_b.Grpc).RejectAsync(new RejectRequest { IdempotencyKey = "k", ThreadId = "thread-1", Reason = "REAL" }, GateCalls.Tenant(tenant));
        foreach (var watch in new[] { onA, onB })
        {
            var transition = Assert.Single(await watch.EndAsync(Bound), m => m.Message.Kind == WatchEventKind.Transition).Message.Action;
            Assert.Equal((ActionState.Rejected, "REAL", 2L), (transition.State, transition.Decision.Reason, transition.Version));
        }
    }

    [Fact]
    public async Task A_transition_is_read_from_the_database_once_per_replica_however_many_watch_it_there()
    {
        var tenant = "once-" + Guid.NewGuid().ToString("N")[..8];
        var pending = await GateCalls.RequestAsync(_b!.Grpc, tenant, "k", timeout: TimeSpan.FromHours(1));
        var watches = new List<DecisionWatch>();
        for (var i = 0; i < 5; i++)
        {
            watches.Add(await DecisionWatch.OpenAsync(_a!.Grpc, tenant, pending.RequestId));
        }

        var before = Reads(_a!);
        await new HitlService.HitlServiceClient(_b.Grpc).ApproveAsync(new ApproveRequest { IdempotencyKey = "k", ThreadId = "thread-1" }, GateCalls.Tenant(tenant));

        foreach (var watch in watches)
        {
            Assert.Equal(ActionState.Approved, Assert.Single(await watch.EndAsync(Bound), m => m.Message.Kind == WatchEventKind.Transition).Message.Action.State);
            watch.Dispose();
        }

        Assert.Equal(1, Reads(_a!) - before);
    }

    [Fact]
    public async Task What_a_replica_publishes_to_Redis_names_the_action_and_carries_no_payload_result_or_decision()
    {
        var tenant = "quiet-" + Guid.NewGuid().ToString("N")[..8];
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var queue = await _redis!.GetSubscriber().SubscribeAsync(RedisActionNotifier.Channel);
        queue.OnMessage(m =>
        {
            var text = (string)m.Message!;
            if (text.Contains(tenant, StringComparison.Ordinal))
            {
                heard.Enqueue(text);
            }
        });

        var hitl = new HitlService.HitlServiceClient(_a!.Grpc);
        var pending = await GateCalls.RequestAsync(_a.Grpc, tenant, "k", "{\"to\":\"secret-payload\"}", TimeSpan.FromHours(1));
        await hitl.ApproveAsync(new ApproveRequest { IdempotencyKey = "k", ThreadId = "thread-1", Comment = "secret-comment" }, GateCalls.Tenant(tenant));
        var begun = await hitl.BeginExecutionAsync(new BeginExecutionRequest { IdempotencyKey = "k" }, GateCalls.Tenant(tenant));
        await hitl.CompleteExecutionAsync(
            new CompleteExecutionRequest { IdempotencyKey = "k", FencingToken = begun.Lease.FencingToken, ResultJson = "{\"id\":\"secret-result\"}" }, GateCalls.Tenant(tenant));

        await Eventually.TrueAsync(() => heard.Count >= 4, Bound, "a notice per transition (created, approved, executing, committed)");
        await queue.UnsubscribeAsync();
        foreach (var message in heard)
        {
            Assert.DoesNotContain("secret", message, StringComparison.Ordinal);
            using var json = JsonDocument.Parse(message);
            Assert.Equal(["Origin", "TenantId", "RequestId", "Version"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(pending.RequestId, json.RootElement.GetProperty("RequestId").GetString());
        }

        Assert.Equal([1L, 2L, 3L, 4L], heard.Select(m => JsonDocument.Parse(m).RootElement.GetProperty("Version").GetInt64()).Order());
    }

    private static long Reads(AegisServer server) => server.Services.GetRequiredService<NoticeReader>().ActionsRead;
}
