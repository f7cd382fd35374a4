using System.Net;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Gate;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Operability;

/// <summary>
/// A scripted scenario against a server process of its own (so no other test's traffic reaches its counters):
/// every domain counter moves by exactly what the scenario did, RPCs are counted by gRPC status on both transports,
/// and the exposition parses as Prometheus text and names no tenant.
/// </summary>
public sealed class MetricsScenarioTests
{
    [Fact]
    public async Task Each_counter_moves_by_exactly_what_a_scripted_scenario_did()
    {
        var database = await TestEnvironment.CreateDatabaseAsync();
        await using var server = await AegisProcess.StartAsync(database, redis: null, new Dictionary<string, string>
        {
            // Header tenants get a 3-event plan, so the fourth new action is refused for quota.
            ["Aegis__Billing__Plans__scenario"] = "3",
            ["Aegis__Billing__DefaultPlan"] = "scenario",
            ["Aegis__Deadlines__PollMilliseconds"] = "50",
        });
        var tenant = "metrics-" + Guid.NewGuid().ToString("N");
        var hitl = new HitlService.HitlServiceClient(server.Grpc);
        var before = PrometheusText.Parse(await server.Rest.GetStringAsync("/metrics"));

        // 3 new actions: one approved in one call, two held for a decision (one of them with a 1 s deadline).
        await ExpectAsync(server, RestCalls.Decide("approve", tenant, "a1", "t", """{"to":"ops@example.com"}"""), HttpStatusCode.Accepted);
        await GateCalls.RequestAsync(server.Grpc, tenant, "p1", timeout: TimeSpan.FromSeconds(1));
        await GateCalls.RequestAsync(server.Grpc, tenant, "p2");
        // 1 rejection (a human decides p2).
        await ExpectAsync(server, RestCalls.Decide("reject", tenant, "p2", "t", "{}"), HttpStatusCode.Accepted);
        // 2 duplicates: a decided key decided again (409), and a held key requested again with the same payload.
        await ExpectAsync(server, RestCalls.Decide("approve", tenant, "a1", "t", """{"to":"ops@example.com"}"""), HttpStatusCode.Conflict);
        await GateCalls.RequestAsync(server.Grpc, tenant, "p1", timeout: TimeSpan.FromSeconds(1));
        // 1 quota refusal: a fourth new action on a 3-event plan.
        await ExpectAsync(server, RestCalls.Decide("approve", tenant, "a4", "t", "{}"), HttpStatusCode.TooManyRequests);
        // 1 expired deadline: p1's deadline passes and the deadline worker applies on_timeout (reject).
        await Eventually.TrueAsync(
            async () => (await hitl.GetStatusAsync(new GetStatusRequest { IdempotencyKey = "p1" }, GateCalls.Tenant(tenant))).Action.State == ActionState.Expired,
            TimeSpan.FromSeconds(30),
            "p1 expires");
        // 1 committed execution of a1, over gRPC.
        var begun = await hitl.BeginExecutionAsync(new BeginExecutionRequest { IdempotencyKey = "a1" }, GateCalls.Tenant(tenant));
        await hitl.CompleteExecutionAsync(
            new CompleteExecutionRequest { IdempotencyKey = "a1", FencingToken = begun.Lease.FencingToken, ResultJson = """{"id":"m-1"}""" },
            GateCalls.Tenant(tenant));

        var text = await server.Rest.GetStringAsync("/metrics");
        var after = PrometheusText.Parse(text);
        void Moved(double expected, string name, params (string, string)[] labels)
        {
            var delta = PrometheusText.Sum(after, name, labels) - PrometheusText.Sum(before, name, labels);
            Assert.True(delta == expected, $"{name} {string.Join(',', labels)} moved by {delta}, not {expected}:\n"
                + string.Join('\n', text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal))));
        }

        Moved(3, "aegis_actions_created_total");
        Moved(2, "aegis_duplicates_answered_total");
        Moved(1, "aegis_decisions_total", ("outcome", "reject"), ("method", "human"));
        Moved(1, "aegis_decisions_total", ("outcome", "approve"), ("method", "human"));
        Moved(1, "aegis_decisions_total", ("method", "timeout"));
        Moved(2, "aegis_decision_wait_seconds_count"); // p2 (human) and p1 (timeout) waited; a1 did not
        Moved(1, "aegis_quota_refusals_total", ("plan", "scenario"));
        Moved(1, "aegis_deadline_lag_seconds_count");
        Moved(1, "aegis_executions_total", ("outcome", "started"));
        Moved(1, "aegis_executions_total", ("outcome", "committed"));
        Moved(0, "aegis_executions_total", ("outcome", "failed"));
        Moved(0, "aegis_watch_streams_open");

        // RPCs by gRPC status, per transport (a REST 409 is ALREADY_EXISTS, a 429 RESOURCE_EXHAUSTED).
        Moved(1, "aegis_rpc_requests_total", ("transport", "rest"), ("rpc", "aegis.hitl.v1.HitlService/Approve"), ("code", "AlreadyExists"));
        Moved(1, "aegis_rpc_requests_total", ("transport", "rest"), ("rpc", "aegis.hitl.v1.HitlService/Approve"), ("code", "ResourceExhausted"));
        Moved(1, "aegis_rpc_requests_total", ("transport", "rest"), ("rpc", "aegis.hitl.v1.HitlService/Approve"), ("code", "OK"));
        Moved(3, "aegis_rpc_requests_total", ("transport", "grpc"), ("rpc", "aegis.hitl.v1.HitlService/RequestApproval"), ("code", "OK"));
        Moved(1, "aegis_rpc_requests_total", ("transport", "grpc"), ("rpc", "aegis.hitl.v1.HitlService/CompleteExecution"), ("code", "OK"));
        Moved(1, "aegis_rpc_duration_seconds_count", ("transport", "grpc"), ("rpc", "aegis.hitl.v1.HitlService/BeginExecution"));

        // Runtime metrics are exported too; tenants never are.
        Assert.Contains(after, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal) || s.Name.StartsWith("process_", StringComparison.Ordinal));
        Assert.DoesNotContain(tenant, text, StringComparison.Ordinal);
        Assert.DoesNotContain(after, s => s.Labels.Keys.Any(k => k.Contains("tenant", StringComparison.OrdinalIgnoreCase)));
    }

    private static async Task ExpectAsync(AegisProcess server, HttpRequestMessage request, HttpStatusCode expected)
    {
        using (request)
        using (var response = await server.Rest.SendAsync(request))
        {
            Assert.True(response.StatusCode == expected, $"{request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
