using Aegis.Client;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Proto = Aegis.Hitl.V1;

namespace Aegis.Server.Tests.Execution;

/// <summary>The .NET client's <see cref="ExecutionGuard"/>: heartbeats keep a long side effect's lease, failures are recorded.</summary>
public sealed class ExecutionGuardTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Heartbeats_extend_the_lease_of_a_long_side_effect_so_nobody_takes_it_over()
    {
        var key = ExecutionFixture.NewKey("heartbeat");
        await fixture.ApproveAsync(key);
        var extended = new ExtendLeaseObserver();
        var client = new Proto.HitlService.HitlServiceClient(fixture.Server.Grpc.Intercept(extended));
        var guard = new ExecutionGuard(client, new ExecutionGuardOptions
        {
            Headers = fixture.Headers,
            LeaseTtl = TimeSpan.FromSeconds(10),
            HeartbeatInterval = TimeSpan.FromSeconds(3),
            Time = fixture.Time,
        });
        var running = new TaskCompletionSource();
        var release = new TaskCompletionSource<string>();

        var run = guard.RunAsync(key, null, (_, ct) =>
        {
            running.SetResult();
            return release.Task.WaitAsync(ct);
        });
        await running.Task.WaitAsync(Wait);
        fixture.Time.Advance(TimeSpan.FromSeconds(3));
        await extended.Next.WaitAsync(Wait);
        fixture.Time.Advance(TimeSpan.FromSeconds(8));

        // 11 s after the start: past the first lease's end, inside the extended one (3 s + 10 s).
        var other = await Assert.ThrowsAsync<RpcException>(() => fixture.BeginAsync(key));
        Assert.Equal("LEASE_HELD", ExecutionFixture.Reason(other));

        release.SetResult("{\"sent\":true}");
        var result = await run.WaitAsync(Wait);
        Assert.Equal(ExecutionOutcome.Executed, result.Outcome);
        Assert.Equal(Proto.ActionState.Committed, result.Action.State);
        Assert.Equal(1, result.Action.Execution.FencingToken);
    }

    [Fact]
    public async Task A_heartbeat_that_finds_the_lease_taken_over_stops_the_side_effect_with_ExecutionLeaseLostException()
    {
        var key = ExecutionFixture.NewKey("lost");
        await fixture.ApproveAsync(key);

        // A heartbeat slower than the lease: the lease lapses and is taken over before the first beat.
        var guard = new ExecutionGuard(fixture.Client, new ExecutionGuardOptions
        {
            Headers = fixture.Headers,
            LeaseTtl = TimeSpan.FromSeconds(10),
            HeartbeatInterval = TimeSpan.FromSeconds(20),
            Time = fixture.Time,
        });
        var running = new TaskCompletionSource();
        var stopped = new TaskCompletionSource();
        var run = guard.RunAsync(key, null, async (_, ct) =>
        {
            running.SetResult();
            await using var registration = ct.Register(() => stopped.SetResult());
            await Task.Delay(Timeout.Infinite, ct);
            return "{}";
        });
        await running.Task.WaitAsync(Wait);

        fixture.Time.Advance(TimeSpan.FromSeconds(11));
        var takeover = await fixture.BeginAsync(key);
        fixture.Time.Advance(TimeSpan.FromSeconds(9));

        var lost = await Assert.ThrowsAsync<ExecutionLeaseLostException>(() => run.WaitAsync(Wait));
        Assert.True(stopped.Task.IsCompleted);
        Assert.Equal(1, lost.FencingToken);
        Assert.Equal(2, takeover.Lease.FencingToken);
        Assert.Equal(Proto.ActionState.Executing, (await fixture.StatusAsync(key)).State);
    }

    [Fact]
    public async Task A_failing_side_effect_is_recorded_and_a_non_retryable_one_is_replayed_as_failed()
    {
        var key = ExecutionFixture.NewKey("guardfail");
        await fixture.ApproveAsync(key);
        var guard = new ExecutionGuard(fixture.Client, new ExecutionGuardOptions { Headers = fixture.Headers, HeartbeatInterval = TimeSpan.Zero });
        var runs = 0;

        var thrown = await Assert.ThrowsAsync<ExecutionFailedException>(() => guard.RunAsync(key, null, (_, _) =>
        {
            runs++;
            throw new InvalidOperationException("mailbox full");
        }));
        var replay = await guard.RunAsync(key, null, (_, _) =>
        {
            runs++;
            return Task.FromResult("{}");
        });

        Assert.Equal(Proto.ActionState.Failed, thrown.Action.State);
        Assert.Equal(ExecutionOutcome.Failed, replay.Outcome);
        Assert.Contains("mailbox full", replay.ErrorJson);
        Assert.Equal(1, runs);
    }

    /// <summary>Signals each ExtendLease call that the server answered.</summary>
    private sealed class ExtendLeaseObserver : Interceptor
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next => _next.Task;

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            var call = continuation(request, context);
            if (request is not Proto.ExtendLeaseRequest)
            {
                return call;
            }

            async Task<TResponse> Observe()
            {
                var response = await call.ResponseAsync;
                _next.TrySetResult();
                return response;
            }

            return new AsyncUnaryCall<TResponse>(Observe(), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        }
    }
}
