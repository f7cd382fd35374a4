using Proto = Aegis.Hitl.V1;
using Aegis.Core.Actions;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;

namespace Aegis.Server.Tests.Execution;

/// <summary>Invariant 9 (docs/architecture.md): a worker whose lease expired or was taken over cannot commit.</summary>
public sealed class ZombieWorkerTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    [Fact]
    public async Task A_worker_whose_expired_lease_was_taken_over_is_refused_with_LEASE_LOST_and_the_second_result_is_stored()
    {
        var key = ExecutionFixture.NewKey("zombie");
        await fixture.ApproveAsync(key);
        var first = await fixture.BeginAsync(key, TimeSpan.FromSeconds(10));

        fixture.Time.Advance(TimeSpan.FromSeconds(11));
        var second = await fixture.BeginAsync(key, TimeSpan.FromSeconds(10));

        Assert.Equal(Proto.ExecutionStatus.Started, second.Status);
        Assert.True(second.Lease.FencingToken > first.Lease.FencingToken);
        Assert.Equal(1, second.Action.Execution.Attempts);

        var late = await Assert.ThrowsAsync<RpcException>(() => fixture.CompleteAsync(key, first.Lease.FencingToken, "{\"by\":\"first\"}"));
        Assert.Equal(StatusCode.FailedPrecondition, late.StatusCode);
        Assert.Equal("LEASE_LOST", ExecutionFixture.Reason(late));
        var untouched = await fixture.StatusAsync(key);
        Assert.Equal(second.Action.Version, untouched.Version);

        var lateFail = await Assert.ThrowsAsync<RpcException>(() => fixture.FailAsync(key, first.Lease.FencingToken, "{}", retryable: false));
        Assert.Equal("LEASE_LOST", ExecutionFixture.Reason(lateFail));
        Assert.Equal(second.Action.Version, (await fixture.StatusAsync(key)).Version);

        var committed = await fixture.CompleteAsync(key, second.Lease.FencingToken, "{\"by\":\"second\"}");
        Assert.Equal(Proto.ActionState.Committed, committed.State);

        var later = await Assert.ThrowsAsync<RpcException>(() => fixture.CompleteAsync(key, first.Lease.FencingToken, "{\"by\":\"first\"}"));
        Assert.Equal("LEASE_LOST", ExecutionFixture.Reason(later));
        Assert.Equal("second", await Db.ScalarAsync<string>(fixture.ConnectionString, "SELECT result->>'by' FROM actions WHERE idempotency_key = @k", ("k", key)));
        Assert.Equal("{\"by\": \"second\"}", (await fixture.StatusAsync(key)).Execution.ResultJson);
    }

    [Fact]
    public async Task The_reaper_returns_an_expired_lease_to_APPROVED_with_an_audit_row_and_a_publish_and_the_old_token_is_refused()
    {
        var key = ExecutionFixture.NewKey("reaped");
        await fixture.ApproveAsync(key);
        var zombie = await fixture.BeginAsync(key, TimeSpan.FromSeconds(5));

        fixture.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(await fixture.ReapAsync() >= 1);

        var reaped = await fixture.StatusAsync(key);
        Assert.Equal(Proto.ActionState.Approved, reaped.State);
        Assert.Equal(1, reaped.Execution.Attempts);
        Assert.Null(reaped.Execution.LeaseExpiresAt);
        Assert.Equal(1, await fixture.CountAsync(
            "SELECT count(*) FROM audit_events e JOIN actions a ON a.id = e.action_id WHERE a.idempotency_key = @k AND e.kind = 'action.lease_expired' AND e.actor = 'system'",
            ("k", key)));
        Assert.Contains(fixture.Published, a => a.IdempotencyKey == key && a.State == ActionState.Approved && a.Version == reaped.Version);

        var extend = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ExtendLeaseAsync(
            new Proto.ExtendLeaseRequest { IdempotencyKey = key, FencingToken = zombie.Lease.FencingToken }, fixture.Headers).ResponseAsync);
        Assert.Equal("LEASE_LOST", ExecutionFixture.Reason(extend));
        var complete = await Assert.ThrowsAsync<RpcException>(() => fixture.CompleteAsync(key, zombie.Lease.FencingToken, "{}"));
        Assert.Equal("LEASE_LOST", ExecutionFixture.Reason(complete));

        var next = await fixture.BeginAsync(key);
        Assert.Equal(zombie.Lease.FencingToken + 1, next.Lease.FencingToken);
    }

    [Fact]
    public async Task A_live_lease_is_not_reaped()
    {
        var key = ExecutionFixture.NewKey("live");
        await fixture.ApproveAsync(key);
        await fixture.BeginAsync(key, TimeSpan.FromSeconds(30));

        fixture.Time.Advance(TimeSpan.FromSeconds(29));
        await fixture.ReapAsync();

        Assert.Equal(Proto.ActionState.Executing, (await fixture.StatusAsync(key)).State);
    }
}
