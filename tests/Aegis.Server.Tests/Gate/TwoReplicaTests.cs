using System.Globalization;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;
using Xunit.Abstractions;
using static Aegis.Testing.ExactlyOnceChecker;
using static Aegis.Server.Tests.Infrastructure.WatchAgreementChecker;

namespace Aegis.Server.Tests.Gate;

/// <summary>Two real server processes, one PostgreSQL, one Redis: cross-replica watches, races and deadlines.</summary>
[Collection(HeavyGate.Name)]
public sealed class TwoReplicaTests(TwoReplicaFixture fixture, ITestOutputHelper output) : IClassFixture<TwoReplicaFixture>
{
    private const int Decisions = 200;
    private static readonly TimeSpan DeliveryBound = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_watch_on_replica_A_hears_each_of_200_approvals_made_on_replica_B_within_2_s()
    {
        var tenant = "lat-" + Guid.NewGuid().ToString("N")[..8];
        var b = new HitlService.HitlServiceClient(fixture.B.Grpc);
        var fromDecision = new List<double>();
        var fromCall = new List<double>();
        var approveCall = new List<double>();

        for (var i = -10; i < Decisions; i++)
        {
            var key = $"k{i}";
            var action = await GateCalls.RequestAsync(fixture.B.Grpc, tenant, key);
            using var watch = await DecisionWatch.OpenAsync(fixture.A.Grpc, tenant, action.RequestId);
            var sentAt = DateTimeOffset.UtcNow;
            await b.ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = "thread-1" }, GateCalls.Tenant(tenant));
            var approvedAt = DateTimeOffset.UtcNow;
            var messages = await watch.EndAsync(DeliveryBound);

            var (message, receivedAt) = messages.Single(m => m.Message.Kind == WatchEventKind.Transition);
            Assert.Equal(ActionState.Approved, message.Action.State);
            if (i >= 0)
            {
                // The first 10 warm the JIT and connection pools; they are checked but not measured.
                fromDecision.Add((receivedAt - message.Action.Decision.DecidedAt.ToDateTimeOffset()).TotalMilliseconds);
                fromCall.Add((receivedAt - sentAt).TotalMilliseconds);
                approveCall.Add((approvedAt - sentAt).TotalMilliseconds);
            }
        }

        var report = string.Format(
            CultureInfo.InvariantCulture,
            "cross-replica delivery over {0} decisions (watch on A, Approve on B, Redis fan-out): " +
            "from decided_at: median {1:F1} ms, p99 {2:F1} ms, max {3:F1} ms; from sending Approve: median {4:F1} ms, p99 {5:F1} ms, max {6:F1} ms; " +
            "the Approve call itself (write path, for comparison): median {7:F1} ms, p99 {8:F1} ms",
            Decisions, Percentile(fromDecision, 50), Percentile(fromDecision, 99), fromDecision.Max(),
            Percentile(fromCall, 50), Percentile(fromCall, 99), fromCall.Max(), Percentile(approveCall, 50), Percentile(approveCall, 99));
        output.WriteLine(report);
        await File.AppendAllTextAsync(Path.Combine(TestEnvironment.RepoRoot, ".test-run", "gate-latency.txt"), $"{DateTimeOffset.UtcNow:O} {report}\n");
        Assert.Equal(Decisions, fromDecision.Count);
        Assert.All(fromCall, ms => Assert.InRange(ms, 0, DeliveryBound.TotalMilliseconds));
    }

    [Fact]
    public async Task A_tenant_wide_REST_watch_on_replica_A_streams_transitions_made_on_replica_B()
    {
        var tenant = "wa-" + Guid.NewGuid().ToString("N")[..8];
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/hitl/watch") { Headers = { { "Tenant-Id", tenant } } };
        using var stream = await fixture.A.Rest.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.Contains("WATCH_EVENT_KIND_HEARTBEAT", await reader.ReadLineAsync().WaitAsync(DeliveryBound));

        var action = await GateCalls.RequestAsync(fixture.B.Grpc, tenant, "k");
        await new HitlService.HitlServiceClient(fixture.B.Grpc).RejectAsync(
            new RejectRequest { IdempotencyKey = "k", ThreadId = "thread-1", Reason = "NO" }, GateCalls.Tenant(tenant));
        // Replica A reads each noticed action from the database, so two transitions in quick succession may reach it
        // as the latest one only (PENDING then REJECTED, or just REJECTED); never out of order, never invented.
        var seen = new List<(string State, long Version)>();
        while (seen is not [.., ("ACTION_STATE_REJECTED", _)] && await reader.ReadLineAsync().WaitAsync(DeliveryBound) is { } line)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            if (json.RootElement.GetProperty("kind").GetString() == "WATCH_EVENT_KIND_TRANSITION")
            {
                var transition = json.RootElement.GetProperty("action");
                Assert.Equal(action.RequestId, transition.GetProperty("request_id").GetString());
                seen.Add((transition.GetProperty("state").GetString()!, long.Parse(transition.GetProperty("version").ToString(), CultureInfo.InvariantCulture)));
            }
        }

        Assert.Equal(("ACTION_STATE_REJECTED", 2L), seen[^1]);
        Assert.True(seen.Count == 1 || seen is [("ACTION_STATE_PENDING", 1L), _], string.Join(", ", seen));
    }

    [Fact]
    public async Task Concurrent_100_approve_and_100_reject_on_one_pending_action_make_one_decision_that_every_watcher_sees()
    {
        var tenant = "race-" + Guid.NewGuid().ToString("N")[..8];
        const string key = "contested";
        var action = await GateCalls.RequestAsync(fixture.A.Grpc, tenant, key);
        var watches = new List<DecisionWatch>();
        for (var i = 0; i < 20; i++)
        {
            watches.Add(await DecisionWatch.OpenAsync(i % 2 == 0 ? fixture.A.Grpc : fixture.B.Grpc, tenant, action.RequestId));
        }

        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var client = new HitlService.HitlServiceClient(i % 4 < 2 ? fixture.A.Grpc : fixture.B.Grpc);
            start.Wait();
            try
            {
                if (i % 2 == 0)
                {
                    await client.ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = "thread-1" }, GateCalls.Tenant(tenant));
                }
                else
                {
                    await client.RejectAsync(new RejectRequest { IdempotencyKey = key, ThreadId = "thread-1", Reason = "NO" }, GateCalls.Tenant(tenant));
                }

                return Outcome.Won;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
            {
                return Outcome.Duplicate;
            }
            catch (RpcException ex)
            {
                errors.Add($"{ex.StatusCode}: {ex.Status.Detail}");
                return Outcome.Other;
            }
        })).ToList();
        start.Set();
        var history = await Task.WhenAll(calls);
        Assert.True(errors.IsEmpty, string.Join("\n", errors.Distinct()));
        var seen = new List<IReadOnlyList<Seen>>();
        foreach (var watch in watches)
        {
            var messages = await WithServerLog(watch.EndAsync(TimeSpan.FromSeconds(10)));
            seen.Add(messages.Where(m => m.Message.Kind == WatchEventKind.Transition)
                .Select(m => new Seen(Name(m.Message.Action.State), m.Message.Action.Decision.Principal, m.Message.Action.Version)).ToList());
            watch.Dispose();
        }

        var rows = await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM actions WHERE tenant_id = @t", ("t", tenant));
        var decidedEvents = await Db.ScalarAsync<long>(
            fixture.ConnectionString, "SELECT count(*) FROM audit_events WHERE tenant_id = @t AND kind = 'action.decided'", ("t", tenant));
        var stored = await Db.ScalarAsync<string>(
            fixture.ConnectionString, "SELECT state || '|' || decided_by || '|' || version FROM actions WHERE tenant_id = @t", ("t", tenant));
        var parts = stored.Split('|');
        Assert.Empty(Problems(history, rows));
        Assert.Equal(1, decidedEvents);
        Assert.Empty(Problems(seen, new Seen(parts[0], parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task Overdue_actions_expire_exactly_once_with_two_replicas_racing_and_their_watchers_are_told()
    {
        var tenant = "dl-" + Guid.NewGuid().ToString("N")[..8];
        // The watched actions get a 3 s deadline and their watches open at once, so the watches are live before the
        // deadline; 25 more with a 1 s deadline give the two replicas' workers plenty to race for.
        var watches = new List<DecisionWatch>();
        for (var i = 0; i < 5; i++)
        {
            var watched = await GateCalls.RequestAsync(fixture.A.Grpc, tenant, $"watched{i}", timeout: TimeSpan.FromSeconds(3));
            watches.Add(await DecisionWatch.OpenAsync(fixture.B.Grpc, tenant, watched.RequestId));
        }

        for (var i = 0; i < 25; i++)
        {
            await GateCalls.RequestAsync(i % 2 == 0 ? fixture.A.Grpc : fixture.B.Grpc, tenant, $"dl{i}", timeout: TimeSpan.FromSeconds(1));
        }

        var approvesOnTimeout = await GateCalls.RequestAsync(
            fixture.A.Grpc, tenant, "approve-on-timeout", timeout: TimeSpan.FromSeconds(1), onTimeout: DecisionOutcome.Approve);
        foreach (var watch in watches)
        {
            var messages = await watch.EndAsync(TimeSpan.FromSeconds(10));
            // On a badly overloaded machine the deadline may pass before the snapshot is read; then the snapshot says it.
            var last = messages.Count > 0 ? messages[^1].Message.Action : watch.Snapshot.Action;
            Assert.Equal(ActionState.Expired, last.State);
            Assert.Equal(DecisionMethod.Timeout, last.Decision.Method);
            Assert.Equal(DecisionOutcome.Reject, last.Decision.Outcome);
            watch.Dispose();
        }

        using (var approveWatch = await DecisionWatch.OpenAsync(fixture.A.Grpc, tenant, approvesOnTimeout.RequestId))
        {
            await approveWatch.EndAsync(TimeSpan.FromSeconds(10));
        }

        await Eventually.TrueAsync(
            async () => await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM actions WHERE tenant_id = @t AND state = 'PENDING'", ("t", tenant)) == 0,
            TimeSpan.FromSeconds(10),
            "every overdue action is decided");
        var expiredEvents = await Db.ScalarAsync<long>(
            fixture.ConnectionString, "SELECT count(*) FROM audit_events WHERE tenant_id = @t AND kind = 'action.expired'", ("t", tenant));
        var actionsExpiredOnce = await Db.ScalarAsync<long>(
            fixture.ConnectionString,
            "SELECT count(*) FROM actions WHERE tenant_id = @t AND state = 'EXPIRED' AND version = 2 AND decided_by = 'timeout' AND decision_method = 'TIMEOUT'",
            ("t", tenant));
        var approvedByTimeout = await Db.ScalarAsync<string>(
            fixture.ConnectionString, "SELECT state || ' ' || decision_method || ' ' || version FROM actions WHERE id = @id", ("id", Guid.Parse(approvesOnTimeout.RequestId)));
        Assert.Equal(30, expiredEvents);
        Assert.Equal(30, actionsExpiredOnce);
        Assert.Equal("APPROVED TIMEOUT 2", approvedByTimeout);
    }

    // Awaits a watch's end; if it failed, fails with what the replicas logged, which says why.
    private async Task<T> WithServerLog<T>(Task<T> task)
    {
        try
        {
            return await task;
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"{ex.Message}\nreplica errors:\n{fixture.ErrorLog()}", ex);
        }
    }

    private static string Name(ActionState state) => state switch
    {
        ActionState.Approved => "APPROVED",
        ActionState.Rejected => "REJECTED",
        ActionState.Expired => "EXPIRED",
        _ => state.ToString().ToUpperInvariant(),
    };

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
