using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Aegis.FaultTests.Checking;
using Aegis.FaultTests.Cluster;
using Aegis.FaultTests.Load;
using Aegis.FaultTests.Reporting;
using Xunit.Abstractions;

namespace Aegis.FaultTests;

/// <summary>
/// Two replicas over a private PostgreSQL and Redis serve retrying clients while, in turn: replicas are killed with
/// SIGKILL, PostgreSQL is restarted (fast, then immediate shutdown), Redis is stopped and brought back; throughout,
/// clients cut calls mid-flight and execution workers die holding leases. Afterwards the clients' history and the
/// database must agree (<see cref="FaultHistoryChecker"/>), and after each PostgreSQL restart both replicas must serve
/// again, without a restart of their own, within 10 s. Set <c>AEGIS_FAULT_SEED</c> to replay a run's client choices.
/// </summary>
public sealed class FaultRunTests(ITestOutputHelper output)
{
    private const int QuotaLimit = 25;
    private const int ReplicaKills = 4;
    private const int WorkerProcessKills = 4;
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Nothing_acknowledged_is_lost_or_done_twice_while_replicas_PostgreSQL_and_Redis_fail_under_load()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("AEGIS_FAULT_SEED"), out var s) ? s : Environment.TickCount;
        var settings = new Dictionary<string, string>
        {
            ["Aegis__Execution__ReaperIntervalSeconds"] = "1",
            ["Aegis__Execution__MaxAttempts"] = "100",
            ["Aegis__Billing__Plans__free"] = QuotaLimit.ToString(),
        };
        var run = Stopwatch.StartNew();
        await using var cluster = await FaultCluster.StartAsync(2, settings);
        var history = new ClientHistory();
        var (quotaTenant, apiKey) = await SignupAsync(cluster.Endpoints.Rest[0]);
        var driver = new LoadDriver(cluster.Endpoints, history, seed);
        var recoveries = new List<(string Fault, int Slot, TimeSpan? Took)>();
        var readyRecoveries = new List<(string Fault, int Slot, TimeSpan? Took)>();
        var readyWhileDown = new List<int>();
        long acksWhileRedisDown;

        using var stop = new CancellationTokenSource();
        var load = driver.RunAsync(deciders: 6, executors: 4, stop.Token);
        var quota = driver.RunQuotaAsync(quotaTenant, apiKey, 2 * QuotaLimit, stop.Token);
        var takeovers = TakeOverFromKilledWorkerProcessesAsync(cluster, driver, history);
        try
        {
            await Task.Delay(2000);
            for (var k = 0; k < ReplicaKills; k++)
            {
                var slot = k % cluster.Count;
                await cluster.KillAsync(slot);
                history.Fault("replica killed (SIGKILL)");
                await Task.Delay(1000);
                await cluster.StartAsync(slot);
                await Task.Delay(1500);
            }

            foreach (var immediate in new[] { false, true })
            {
                var fault = immediate ? "PostgreSQL restarted (immediate shutdown)" : "PostgreSQL restarted (fast shutdown)";
                await cluster.Services.StopPostgresAsync(immediate);
                history.Fault(fault);
                await Task.Delay(1000);
                readyWhileDown.AddRange(await Task.WhenAll(Enumerable.Range(0, cluster.Count).Select(slot => ReadyzAsync(cluster, slot))));
                await Task.Delay(1000);
                await cluster.Services.StartPostgresAsync();
                var serving = Task.WhenAll(Enumerable.Range(0, cluster.Count).Select(slot => ServesAgainAfterAsync(cluster, slot, history)));
                var ready = Task.WhenAll(Enumerable.Range(0, cluster.Count).Select(slot => ReadyAgainAfterAsync(cluster, slot)));
                recoveries.AddRange((await serving).Select((t, slot) => (fault, slot, t)));
                readyRecoveries.AddRange((await ready).Select((t, slot) => (fault, slot, t)));
                await Task.Delay(1500);
            }

            await cluster.Services.StopRedisAsync();
            history.Fault("Redis stopped for 3 s");
            var before = history.Acks.Count;
            await Task.Delay(3000);
            acksWhileRedisDown = history.Acks.Count - before;
            await cluster.Services.StartRedisAsync();
            await Task.Delay(2000);
        }
        finally
        {
            stop.Cancel();
        }

        await Task.WhenAll(load, quota, takeovers).WaitAsync(TimeSpan.FromMinutes(3));
        var crashed = Enumerable.Range(0, cluster.Count).Where(slot => cluster.Replica(slot)?.HasExited != false).ToList();
        var stored = await StoredHistoryReader.ReadAsync(cluster.ConnectionString);
        var acks = history.Acks.ToList();
        var runs = history.Runs.ToList();
        var violations = FaultHistoryChecker.Check(acks, runs, stored, new Dictionary<string, long> { [quotaTenant] = QuotaLimit });

        history.WriteLog(Path.Combine(SuiteSummary.Directory, "fault-run-clients.jsonl"));
        SuiteSummary.Write(
            "fault-run",
            Summary(seed, run.Elapsed, history, stored, violations, recoveries, acksWhileRedisDown, quotaTenant) +
            $"/readyz while PostgreSQL was down: {string.Join(", ", readyWhileDown)}; 200 again after it returned:\n" +
            string.Concat(readyRecoveries.Select(r => $"  {r.Fault}, replica {r.Slot}: {(r.Took is { } v ? $"{v.TotalSeconds:F2} s" : "not within 30 s")}\n")),
            output);
        Assert.True(violations.Count == 0, $"seed {seed}:\n" + string.Join("\n", violations.Take(30)));
        Assert.True(history.Unexpected.IsEmpty, $"seed {seed}:\n" + string.Join("\n", history.Unexpected.Take(30)) + "\n" + cluster.Errors());
        Assert.True(crashed.Count == 0, $"replica(s) {string.Join(",", crashed)} exited on their own");
        Assert.All(recoveries, r => Assert.True(r.Took is { } t && t <= RecoveryBound, $"replica {r.Slot} after {r.Fault}: {r.Took?.TotalSeconds.ToString("F1") ?? "never"} s"));
        Assert.All(readyRecoveries, r => Assert.True(r.Took is { } t && t <= RecoveryBound, $"/readyz of replica {r.Slot} after {r.Fault}: {r.Took?.TotalSeconds.ToString("F1") ?? "never"} s"));
        Assert.All(readyWhileDown, status => Assert.Equal(503, status));
        Assert.True(acksWhileRedisDown > 0, "no write was acknowledged while Redis was down");

        // The run really exercised what it claims: takeovers after dead workers, cut calls, the quota's edge.
        Assert.Contains(acks, a => a.State == "COMMITTED");
        Assert.Contains(stored.Actions, a => a.State == "COMMITTED" && a.FencingToken > 1);
        Assert.True(history.Faults.GetValueOrDefault("client connection cut mid-call") > 0);
        Assert.True(history.Faults.GetValueOrDefault("execution worker process killed (SIGKILL) holding a lease") > 0, "no worker process was killed holding a lease");
        Assert.Contains(stored.Actions, a => a.Key.StartsWith("w-", StringComparison.Ordinal) && a.State == "COMMITTED" && a.FencingToken > 1);
        Assert.True(history.Counts.GetValueOrDefault("quota refusals (429)") > 0, "the quota tenant never reached its limit");
    }

    // Worker processes take a lease, run the side effect and are killed with SIGKILL; another worker then finishes
    // each key once the dead one's lease has expired.
    private static async Task TakeOverFromKilledWorkerProcessesAsync(FaultCluster cluster, LoadDriver driver, ClientHistory history)
    {
        var finishing = new List<Task>();
        for (var n = 0; n < WorkerProcessKills; n++)
        {
            var key = $"w-{n}";
            var tenant = LoadDriver.Tenants[n % LoadDriver.Tenants.Length];
            for (var attempt = 0; attempt < 3; attempt++)
            {
                // A replica that is up now (one may be down for a fault); the worker cannot fail over by itself.
                var slot = Enumerable.Range(n + attempt, cluster.Count).Select(i => i % cluster.Count).First(i => cluster.Replica(i) is not null);
                if (await LeaseHolderProcess.LeaseAndKillAsync(cluster.Endpoints.GrpcPorts[slot], tenant, key, LoadDriver.ExecutionPayload(n), history))
                {
                    finishing.Add(driver.FinishExecutionAsync(tenant, key, n));
                    break;
                }
            }

            await Task.Delay(2000);
        }

        await Task.WhenAll(finishing);
    }

    // Real requests, each with a new key, until one is acknowledged by this replica: the time PostgreSQL's return
    // takes to reach clients, with no restart of the replica.
    private static async Task<TimeSpan?> ServesAgainAfterAsync(FaultCluster cluster, int slot, ClientHistory history)
    {
        var clock = Stopwatch.StartNew();
        for (var n = 0; clock.Elapsed < TimeSpan.FromSeconds(30); n++)
        {
            var key = $"probe-{Guid.NewGuid():N}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hitl/approve") { Content = JsonContent.Create(new { probe = n }) };
            request.Headers.Add("Tenant-Id", "fault-probe");
            request.Headers.Add("Idempotency-Key", key);
            request.Headers.Add("Thread-Id", "probe");
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var response = await cluster.Endpoints.Rest[slot].SendAsync(request, timeout.Token);
                if ((int)response.StatusCode == 202)
                {
                    var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                    history.Acks.Enqueue(new Ack("fault-probe", key, body.GetProperty("request_id").GetString()!, "APPROVED", null));
                    return clock.Elapsed;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
            }

            await Task.Delay(100);
        }

        return null;
    }

    // Until /readyz answers 200 again (it checks the database) on this replica.
    private static async Task<TimeSpan?> ReadyAgainAfterAsync(FaultCluster cluster, int slot)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await ReadyzAsync(cluster, slot) == 200)
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        return null;
    }

    // The status of /readyz, or 0 when the replica did not answer within 5 s.
    private static async Task<int> ReadyzAsync(FaultCluster cluster, int slot)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await cluster.Endpoints.Rest[slot].GetAsync("/readyz", timeout.Token);
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return 0;
        }
    }

    private static async Task<(string Tenant, string ApiKey)> SignupAsync(HttpClient rest)
    {
        using var response = await rest.PostAsJsonAsync("/api/v1/accounts/signup", new { email = $"{Guid.NewGuid():N}@example.com" });
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"signup: {(int)response.StatusCode} {body}");
        return (body.GetProperty("tenant_id").GetString()!, body.GetProperty("api_key").GetString()!);
    }

    private static string Summary(
        int seed,
        TimeSpan took,
        ClientHistory history,
        StoredHistory stored,
        IReadOnlyList<Violation> violations,
        List<(string Fault, int Slot, TimeSpan? Took)> recoveries,
        long acksWhileRedisDown,
        string quotaTenant)
    {
        var committed = history.Acks.Where(a => a.State == "COMMITTED").Select(a => a.Key).ToHashSet();
        var runsPerKey = history.Runs.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Count());
        var text = new StringBuilder();
        text.AppendLine($"===== fault-run summary (seed {seed}, {took.TotalSeconds:F0} s) =====");
        text.AppendLine($"requests sent: {history.Counts.GetValueOrDefault("requests sent")} ({history.Counts.GetValueOrDefault("operations")} operations, " +
                        $"{history.Counts.GetValueOrDefault("retries")} retries, {history.Counts.GetValueOrDefault("gave up")} gave up)");
        text.AppendLine("responses: " + string.Join(", ", history.Responses.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}")));
        text.AppendLine("faults injected:");
        foreach (var (kind, n) in history.Faults.OrderBy(f => f.Key))
        {
            text.AppendLine($"  {kind}: {n}");
        }

        text.AppendLine($"acknowledged writes checked: {history.Acks.Count} ({committed.Count} committed executions), {stored.Actions.Count} actions stored");
        text.AppendLine($"duplicates: {violations.Count(v => v.Kind == ViolationKind.Duplicate)}");
        text.AppendLine($"lost writes: {violations.Count(v => v.Kind == ViolationKind.LostWrite)}");
        text.AppendLine($"double executions: {violations.Count(v => v.Kind == ViolationKind.DoubleExecution)}");
        text.AppendLine($"illegal states: {violations.Count(v => v.Kind == ViolationKind.IllegalState)}");
        text.AppendLine($"quota overruns: {violations.Count(v => v.Kind == ViolationKind.QuotaExceeded)} " +
                        $"(tenant with quota {QuotaLimit}: {stored.Actions.Count(a => a.Tenant == quotaTenant)} actions, " +
                        $"{history.Counts.GetValueOrDefault("quota refusals (429)")} refused with 429)");
        text.AppendLine($"side effects: {history.Runs.Count} runs for {runsPerKey.Count} keys; committed keys run once: " +
                        $"{committed.Count(k => runsPerKey.GetValueOrDefault(k) == 1)}, again under a new lease after a dead worker or lost lease: " +
                        $"{committed.Count(k => runsPerKey.GetValueOrDefault(k) > 1)}; unexpected answers: {history.Unexpected.Count}");
        text.AppendLine($"writes acknowledged while Redis was down: {acksWhileRedisDown}");
        text.AppendLine("recovery after PostgreSQL returned (first acknowledged request, no replica restart):");
        foreach (var (fault, slot, t) in recoveries)
        {
            text.AppendLine($"  {fault}, replica {slot}: {(t is { } v ? $"{v.TotalSeconds:F2} s" : "not within 30 s")}");
        }

        return text.ToString();
    }
}
