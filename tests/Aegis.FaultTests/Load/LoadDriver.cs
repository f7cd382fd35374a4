using System.Diagnostics;
using System.Text.Json;
using Aegis.FaultTests.Checking;
using Aegis.FaultTests.Cluster;
using Aegis.Hitl.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using static Aegis.Testing.ExecutionHistoryChecker;

namespace Aegis.FaultTests.Load;

/// <summary>
/// Drives load through <see cref="RetryingClient"/>s until stopped: REST decision calls (the original SDK's approve /
/// reject), gRPC exactly-once executions whose side effect the harness counts, and a quota-limited tenant pushing
/// past its limit. Some execution workers die while they hold a lease (they walk away before or after the side
/// effect, never completing); the key is then picked up again once the lease expires.
/// </summary>
public sealed class LoadDriver(ReplicaEndpoints endpoints, ClientHistory history, int seed)
{
    /// <summary>Lease of every execution: short, so a dead worker's key is taken over within seconds.</summary>
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(2);

    private const double CutProbability = 0.03;
    private const double WorkerKillProbability = 0.08;
    private static readonly TimeSpan KeyDeadline = TimeSpan.FromSeconds(120);

    /// <summary>Tenants the decision and execution load is spread over (trusted <c>Tenant-Id</c> mode).</summary>
    public static readonly string[] Tenants = ["fault-a", "fault-b", "fault-c"];

    /// <summary>Runs <paramref name="deciders"/> decision workers and <paramref name="executors"/> execution workers until <paramref name="stop"/>, then lets executions in flight finish.</summary>
    public Task RunAsync(int deciders, int executors, CancellationToken stop) => Task.WhenAll(
        Enumerable.Range(0, deciders).Select(w => Task.Run(() => DecideLoopAsync(w, stop), CancellationToken.None))
            .Concat(Enumerable.Range(0, executors).Select(w => Task.Run(() => ExecuteLoopAsync(w, stop), CancellationToken.None))));

    /// <summary>Creates <paramref name="keys"/> actions as the tenant of <paramref name="apiKey"/>, whose quota is below that.</summary>
    public async Task RunQuotaAsync(string tenant, string apiKey, int keys, CancellationToken stop)
    {
        var client = new RetryingClient(endpoints, history, new Random(seed - 1), CutProbability);
        for (var i = 0; i < keys && !stop.IsCancellationRequested; i++)
        {
            var headers = new Dictionary<string, string>
            {
                ["Authorization"] = "Bearer " + apiKey,
                ["Idempotency-Key"] = $"q-{i}",
                ["Thread-Id"] = "quota",
            };
            await DecideAsync(client, tenant, $"q-{i}", "approve", headers, $"{{\"n\":{i}}}");
        }
    }

    /// <summary>Runs key <paramref name="key"/> (payload <c>{"n": n}</c>) through the execution guard until it is finished, as a worker taking over would.</summary>
    public Task FinishExecutionAsync(string tenant, string key, int n)
    {
        var random = new Random(seed - 2 - n);
        return ExecuteAsync(new RetryingClient(endpoints, history, random, CutProbability), random, tenant, key, n);
    }

    /// <summary>The payload an execution of key number <paramref name="n"/> carries.</summary>
    public static string ExecutionPayload(int n) => $"{{\"n\":{n}}}";

    private async Task DecideLoopAsync(int worker, CancellationToken stop)
    {
        var random = new Random(seed + worker);
        var client = new RetryingClient(endpoints, history, random, CutProbability);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var tenant = Tenants[random.Next(Tenants.Length)];
            var key = $"d-{worker}-{i}";
            var verb = random.Next(4) == 0 ? "reject" : "approve";
            var headers = new Dictionary<string, string>
            {
                ["Tenant-Id"] = tenant,
                ["Idempotency-Key"] = key,
                ["Thread-Id"] = $"thread-{worker}",
                ["X-Request-Id"] = $"req-{key}",
            };
            await DecideAsync(client, tenant, key, verb, headers, $"{{\"n\":{i},\"amount\":12345678901234567890}}");
        }
    }

    private async Task DecideAsync(RetryingClient client, string tenant, string key, string verb, Dictionary<string, string> headers, string body)
    {
        history.Count("operations");
        var answer = await client.PostAsync($"/api/v1/hitl/{verb}", headers, body);
        switch (answer)
        {
            case null:
                return;
            case (202 or 409, var json):
                // 409 after a retry: an earlier attempt of this very call took effect; the body carries what was stored.
                var state = json.GetProperty("state").GetString()!.Replace("ACTION_STATE_", "", StringComparison.Ordinal);
                history.Acks.Enqueue(new Ack(tenant, key, json.GetProperty("request_id").GetString()!, state, null));
                if (state != (verb == "approve" ? "APPROVED" : "REJECTED"))
                {
                    history.Unexpected.Enqueue($"{tenant}/{key}: asked to {verb}, answered {state}");
                }

                return;
            case (429, _):
                history.Count("quota refusals (429)");
                return;
            case var (status, json):
                history.Unexpected.Enqueue($"{tenant}/{key}: {verb} answered {status} {json}");
                return;
        }
    }

    private async Task ExecuteLoopAsync(int worker, CancellationToken stop)
    {
        var random = new Random(seed + 1000 + worker);
        var client = new RetryingClient(endpoints, history, random, CutProbability);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var tenant = Tenants[random.Next(Tenants.Length)];
            await ExecuteAsync(client, random, tenant, $"x-{worker}-{i}", i);
        }
    }

    // One key through the execution guard, as a tool wrapper runs it: Begin, the side effect, Complete; again after a
    // lost lease; the stored result when it was committed before.
    private async Task ExecuteAsync(RetryingClient client, Random random, string tenant, string key, int n)
    {
        history.Count("operations");
        var headers = new Metadata { { "tenant-id", tenant } };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < KeyDeadline)
        {
            BeginExecutionResponse? begun;
            try
            {
                begun = await client.CallAsync(headers, (hitl, options) => hitl.BeginExecutionAsync(
                    new BeginExecutionRequest
                    {
                        IdempotencyKey = key,
                        ThreadId = "fault-exec",
                        PayloadJson = ExecutionPayload(n),
                        LeaseTtl = Duration.FromTimeSpan(LeaseTtl),
                        RequireApproval = false,
                    },
                    options));
            }
            catch (RpcException ex) when (Reason(ex) == "LEASE_HELD")
            {
                // An earlier attempt of ours (cut, or a worker that died) holds the lease: wait for it to expire.
                await Task.Delay(250);
                continue;
            }
            catch (RpcException ex)
            {
                history.Unexpected.Enqueue($"{tenant}/{key}: BeginExecution {ex.StatusCode} {Reason(ex)} {ex.Status.Detail}");
                return;
            }

            switch (begun?.Status)
            {
                case null:
                    return;
                case ExecutionStatus.Replayed:
                    history.Acks.Enqueue(new Ack(tenant, key, begun.Action.RequestId, "COMMITTED", begun.Action.Execution.ResultJson));
                    return;
                case ExecutionStatus.Failed:
                    history.Count("executions failed for good");
                    return;
            }

            var token = begun.Lease.FencingToken;
            var die = random.NextDouble() < WorkerKillProbability ? random.Next(2) : -1;
            if (die == 0)
            {
                history.Fault("in-process execution worker abandoned its lease (before the side effect)");
                continue;
            }

            history.Runs.Enqueue(new Run(key, token));
            if (die == 1)
            {
                history.Fault("in-process execution worker abandoned its lease (after the side effect)");
                continue;
            }

            try
            {
                var done = await client.CallAsync(headers, (hitl, options) => hitl.CompleteExecutionAsync(
                    new CompleteExecutionRequest { IdempotencyKey = key, FencingToken = token, ResultJson = $"{{\"token\":{token}}}" }, options));
                if (done is not null)
                {
                    history.Acks.Enqueue(new Ack(tenant, key, done.Action.RequestId, "COMMITTED", done.Action.Execution.ResultJson));
                }

                return;
            }
            catch (RpcException ex) when (Reason(ex) == "LEASE_LOST")
            {
                // The retries outlived the lease (an outage); the key is taken again and the side effect runs under a new lease.
                history.Count("leases lost during retries");
            }
            catch (RpcException ex)
            {
                history.Unexpected.Enqueue($"{tenant}/{key}: CompleteExecution {ex.StatusCode} {Reason(ex)} {ex.Status.Detail}");
                return;
            }
        }

        history.Count("gave up");
    }

    private static string? Reason(RpcException ex) => ex.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
}
