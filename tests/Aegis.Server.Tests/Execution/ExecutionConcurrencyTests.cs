using Grpc.Core;
using Proto = Aegis.Hitl.V1;
using System.Net;
using System.Text.Json;
using Aegis.Server.Tests.Infrastructure;
using static Aegis.Testing.ExactlyOnceChecker;

namespace Aegis.Server.Tests.Execution;

/// <summary>Exactly one caller gets the lease on an APPROVED action, however many race for it.</summary>
public sealed class ExecutionConcurrencyTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    private const int Callers = 500;

    [Fact]
    public async Task BeginExecution_from_500_REST_callers_on_one_approved_key_grants_one_lease_and_409s_with_the_lease_end()
    {
        var key = ExecutionFixture.NewKey("race");
        await fixture.ApproveAsync(key);
        var body = JsonSerializer.Serialize(new { idempotency_key = key, lease_ttl = "60s" });
        using var start = new ManualResetEventSlim();

        var calls = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await fixture.Server.Rest.SendAsync(ExecutionFixture.RestPost("begin", body));
            return (response.StatusCode, Body: await RestCalls.JsonAsync(response));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(calls);

        var history = results.Select(r => r switch
        {
            { StatusCode: HttpStatusCode.OK } when r.Body.GetProperty("status").GetString() == "EXECUTION_STATUS_STARTED" => Outcome.Won,
            { StatusCode: HttpStatusCode.Conflict } when r.Body.GetProperty("reason").GetString() == "LEASE_HELD" => Outcome.Duplicate,
            _ => Outcome.Other,
        }).ToList();
        var leasesGranted = await fixture.CountAsync(
            "SELECT count(*) FROM audit_events e JOIN actions a ON a.id = e.action_id WHERE a.idempotency_key = @k AND e.kind = 'action.execution_started'",
            ("k", key));
        Assert.Empty(Problems(history, leasesGranted));

        // Every refused caller is told when the one lease ends, and it is the winner's lease.
        var winner = results.Single(r => r.StatusCode == HttpStatusCode.OK).Body;
        var leaseEnd = winner.GetProperty("lease").GetProperty("expires_at").GetDateTimeOffset();
        Assert.Equal("1", winner.GetProperty("lease").GetProperty("fencing_token").GetRawText().Trim('"'));
        Assert.Equal(fixture.Time.GetUtcNow().AddSeconds(60), leaseEnd, TimeSpan.FromMilliseconds(1));
        Assert.All(results.Where(r => r.StatusCode == HttpStatusCode.Conflict), r =>
        {
            Assert.Equal(leaseEnd, r.Body.GetProperty("lease_expires_at").GetDateTimeOffset());
            Assert.Equal(leaseEnd, r.Body.GetProperty("action").GetProperty("execution").GetProperty("lease_expires_at").GetDateTimeOffset());
            Assert.Equal("ACTION_STATE_EXECUTING", r.Body.GetProperty("state").GetString());
            Assert.Contains(r.Body.GetProperty("details").EnumerateArray(), d => d.GetProperty("@type").GetString()!.EndsWith("google.rpc.RetryInfo"));
        });

        var stored = await fixture.StatusAsync(key);
        Assert.Equal(Proto.ActionState.Executing, stored.State);
        Assert.Equal(1, stored.Execution.FencingToken);
    }

    [Fact]
    public async Task BeginExecution_from_500_gRPC_callers_grants_one_lease_and_ABORTED_LEASE_HELD_with_RetryInfo_to_the_rest()
    {
        var key = ExecutionFixture.NewKey("grpcrace");
        await fixture.ApproveAsync(key);
        using var start = new ManualResetEventSlim();

        var calls = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                var started = await fixture.BeginAsync(key, TimeSpan.FromSeconds(45));
                return (Outcome: started.Status == Proto.ExecutionStatus.Started ? Outcome.Won : Outcome.Other, LeaseEnd: started.Lease?.ExpiresAt, Delay: (TimeSpan?)null);
            }
            catch (global::Grpc.Core.RpcException ex) when (ex.StatusCode == global::Grpc.Core.StatusCode.Aborted && ExecutionFixture.Reason(ex) == "LEASE_HELD")
            {
                var status = ex.GetRpcStatus()!;
                return (Outcome.Duplicate, status.GetDetail<Proto.Action>().Execution.LeaseExpiresAt, status.GetDetail<Google.Rpc.RetryInfo>().RetryDelay.ToTimeSpan());
            }
            catch (global::Grpc.Core.RpcException)
            {
                return (Outcome.Other, null, null);
            }
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(calls);

        var leasesGranted = await fixture.CountAsync(
            "SELECT count(*) FROM audit_events e JOIN actions a ON a.id = e.action_id WHERE a.idempotency_key = @k AND e.kind = 'action.execution_started'",
            ("k", key));
        Assert.Empty(Problems(results.Select(r => r.Outcome).ToList(), leasesGranted));
        var leaseEnd = results.Single(r => r.Outcome == Outcome.Won).LeaseEnd;
        Assert.All(results.Where(r => r.Outcome == Outcome.Duplicate), r =>
        {
            Assert.Equal(leaseEnd, r.LeaseEnd);
            Assert.Equal(TimeSpan.FromSeconds(45), r.Delay);
        });
    }
}
