using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;
using Proto = Aegis.Hitl.V1;

namespace Aegis.Server.Tests.Execution;

/// <summary>Failures: retryable ones are claimable again up to the max attempts, non-retryable ones are stored and replayed.</summary>
public sealed class RetryTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    [Fact]
    public async Task A_retryable_failure_returns_the_action_to_APPROVED_and_it_can_be_claimed_again()
    {
        var key = ExecutionFixture.NewKey("retry");
        await fixture.ApproveAsync(key);
        var first = await fixture.BeginAsync(key);

        var failed = await fixture.FailAsync(key, first.Lease.FencingToken, "{\"code\":\"timeout\"}", retryable: true);

        Assert.Equal(Proto.ActionState.Approved, failed.State);
        Assert.Equal(1, failed.Execution.Attempts);
        var second = await fixture.BeginAsync(key);
        Assert.Equal(Proto.ExecutionStatus.Started, second.Status);
        Assert.Equal(first.Lease.FencingToken + 1, second.Lease.FencingToken);
        var committed = await fixture.CompleteAsync(key, second.Lease.FencingToken, "{\"ok\":true}");
        Assert.Equal(Proto.ActionState.Committed, committed.State);
        Assert.Equal(1, await fixture.CountAsync(
            "SELECT count(*) FROM audit_events e JOIN actions a ON a.id = e.action_id WHERE a.idempotency_key = @k AND e.kind = 'action.execution_retrying'", ("k", key)));
    }

    [Fact]
    public async Task A_non_retryable_failure_is_stored_and_replayed_to_every_later_Begin()
    {
        var key = ExecutionFixture.NewKey("fatal");
        await fixture.ApproveAsync(key);
        var begun = await fixture.BeginAsync(key);
        var failed = await fixture.FailAsync(key, begun.Lease.FencingToken, "{\"code\":\"card_declined\",\"amount\":12345678901234567890}", retryable: false);
        Assert.Equal(Proto.ActionState.Failed, failed.State);

        for (var i = 0; i < 5; i++)
        {
            var replay = await fixture.BeginAsync(key);
            Assert.Equal(Proto.ExecutionStatus.Failed, replay.Status);
            Assert.Null(replay.Lease);
            Assert.Equal(failed.Execution.ErrorJson, replay.Action.Execution.ErrorJson, StringComparer.Ordinal);
            Assert.Equal(failed.Version, replay.Action.Version);
        }

        Assert.Contains("12345678901234567890", failed.Execution.ErrorJson);
        var noLease = await Assert.ThrowsAsync<RpcException>(() => fixture.CompleteAsync(key, begun.Lease.FencingToken, "{}"));
        Assert.Equal("LEASE_LOST", ExecutionFixture.Reason(noLease));
    }

    [Fact]
    public async Task Retryable_failures_stop_at_the_max_attempts_and_the_action_is_FAILED()
    {
        var key = ExecutionFixture.NewKey("exhaust");
        await fixture.ApproveAsync(key);
        Proto.Action last = null!;
        for (var attempt = 1; attempt <= ExecutionFixture.MaxAttempts; attempt++)
        {
            var begun = await fixture.BeginAsync(key);
            Assert.Equal(Proto.ExecutionStatus.Started, begun.Status);
            last = await fixture.FailAsync(key, begun.Lease.FencingToken, $"{{\"attempt\":{attempt}}}", retryable: true);
            Assert.Equal(attempt < ExecutionFixture.MaxAttempts ? Proto.ActionState.Approved : Proto.ActionState.Failed, last.State);
        }

        Assert.Equal(ExecutionFixture.MaxAttempts, last.Execution.Attempts);
        var after = await fixture.BeginAsync(key);
        Assert.Equal(Proto.ExecutionStatus.Failed, after.Status);
        Assert.Equal("{\"attempt\": 3}", after.Action.Execution.ErrorJson);
    }

    [Fact]
    public async Task An_expired_lease_on_the_last_attempt_fails_the_action_with_LEASE_EXPIRED()
    {
        var key = ExecutionFixture.NewKey("lastlease");
        await fixture.ApproveAsync(key);
        for (var attempt = 1; attempt < ExecutionFixture.MaxAttempts; attempt++)
        {
            var begun = await fixture.BeginAsync(key);
            await fixture.FailAsync(key, begun.Lease.FencingToken, "{}", retryable: true);
        }

        await fixture.BeginAsync(key, TimeSpan.FromSeconds(5));
        fixture.Time.Advance(TimeSpan.FromSeconds(6));
        await fixture.ReapAsync();

        var stored = await fixture.StatusAsync(key);
        Assert.Equal(Proto.ActionState.Failed, stored.State);
        Assert.Equal(ExecutionFixture.MaxAttempts, stored.Execution.Attempts);
        Assert.Equal("LEASE_EXPIRED", stored.Execution.Error.StructValue.Fields["reason"].StringValue);
        Assert.Equal(Proto.ExecutionStatus.Failed, (await fixture.BeginAsync(key)).Status);
    }
}
