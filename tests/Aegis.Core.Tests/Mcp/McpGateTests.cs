using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Execution;
using Aegis.Core.Identity;
using Aegis.Core.Mcp;
using Aegis.Core.Ports;
using Aegis.Core.Tests.Actions;
using Aegis.Core.Tests.Watching;
using Aegis.Core.Watching;
using Microsoft.Extensions.Time.Testing;

namespace Aegis.Core.Tests.Mcp;

/// <summary>The gate's rules for what happens around the one forward: waits that run out, failed forwards, unstorable results.</summary>
public sealed class McpGateTests
{
    private static readonly Principal Agent = new("acme", "bot", Roles.Agent);
    private static readonly Principal Reviewer = new("acme", "alice", Roles.Reviewer);
    private static readonly McpGateSettings Settings = new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));

    private readonly InMemoryActionStore _store = new();
    private readonly FakeSubscriber _subscriber = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly ActionStateMachine _machine = new(ExecutionSettings.Default);
    private int _forwards;

    private ActionTransitions Transitions => new(_store, _store, new NullActionEventPublisher());

    private McpGate Gate => new(
        new ApprovalService(_store, new NullActionEventPublisher(), GateSettings.Default, _time),
        new ExecutionService(_store, Transitions, _machine, new NullActionEventPublisher(), _machine.Settings, _time),
        new WatchService(_store, _subscriber, new WatchSettings(TimeSpan.FromSeconds(15)), _time),
        Settings,
        _time);

    private static McpUpstreamRecord Upstream => new()
    {
        Id = Guid.NewGuid(),
        TenantId = "acme",
        Name = "mail",
        Url = new Uri("http://upstream.invalid/mcp"),
        GatedTools = ["send_email"],
        DecisionTimeout = TimeSpan.FromHours(1),
        CreatedAt = DateTimeOffset.UnixEpoch,
        CreatedBy = "root",
    };

    [Fact]
    public async Task A_call_still_pending_when_its_wait_runs_out_is_refused_as_retryable_and_nothing_is_forwarded()
    {
        var waiting = new TaskCompletionSource();
        var call = Gate.CallAsync(Agent, Upstream, Call("k1"), Forward("{}"), new Reported(() => waiting.TrySetResult()), default);
        await waiting.Task;

        _time.Advance(Settings.MaxCallWait);
        var refused = await Assert.ThrowsAsync<ToolCallRefusedException>(() => call);

        Assert.Equal("DECISION_PENDING", refused.Reason);
        Assert.True(refused.Retryable);
        Assert.Equal(0, _forwards);
        Assert.Equal(ActionState.Pending, (await _store.FindByKeyAsync("acme", "k1", default))!.State);
    }

    [Fact]
    public async Task A_forward_that_throws_fails_the_action_for_good_and_is_never_forwarded_again()
    {
        await ApproveAsync("k2");

        var first = await Assert.ThrowsAsync<ToolCallRefusedException>(
            () => Gate.CallAsync(Agent, Upstream, Call("k2"), _ => { _forwards++; throw new HttpRequestException("connection reset"); }, Silent, default));
        var retry = await Assert.ThrowsAsync<ToolCallRefusedException>(
            () => Gate.CallAsync(Agent, Upstream, Call("k2"), Forward("{}"), Silent, default));

        Assert.Equal("UPSTREAM_UNREACHABLE", first.Reason);
        Assert.Equal("EXECUTION_FAILED", retry.Reason);
        Assert.False(retry.Retryable);
        Assert.Equal(1, _forwards);
        Assert.Equal(ActionState.Failed, (await _store.FindByKeyAsync("acme", "k2", default))!.State);
    }

    [Fact]
    public async Task A_result_too_large_to_store_fails_the_action_for_good_instead_of_leaving_it_to_run_again()
    {
        await ApproveAsync("k3");
        var huge = $"{{\"text\":\"{new string('x', ExecutionJson.MaxBytes)}\"}}";

        var refused = await Assert.ThrowsAsync<ToolCallRefusedException>(() => Gate.CallAsync(Agent, Upstream, Call("k3"), Forward(huge), Silent, default));
        var retry = await Assert.ThrowsAsync<ToolCallRefusedException>(() => Gate.CallAsync(Agent, Upstream, Call("k3"), Forward("{}"), Silent, default));

        Assert.Equal("RESULT_NOT_STORABLE", refused.Reason);
        Assert.Equal("EXECUTION_FAILED", retry.Reason);
        Assert.Equal(1, _forwards);
    }

    [Fact]
    public async Task An_approved_call_is_forwarded_once_and_its_stored_result_replayed()
    {
        await ApproveAsync("k4");

        var first = await Gate.CallAsync(Agent, Upstream, Call("k4"), Forward("""{"content":[{"type":"text","text":"sent"}]}"""), Silent, default);
        var again = await Gate.CallAsync(Agent, Upstream, Call("k4"), Forward("""{"other":true}"""), Silent, default);

        Assert.Equal(first, again);
        Assert.Contains("sent", first, StringComparison.Ordinal);
        Assert.Equal(1, _forwards);
    }

    [Fact]
    public async Task The_lease_is_extended_while_a_slow_upstream_works_so_nobody_takes_the_call_over()
    {
        await ApproveAsync("k5");
        var upstreamStarted = new TaskCompletionSource();
        var upstreamDone = new TaskCompletionSource<string>();
        var call = Gate.CallAsync(Agent, Upstream, Call("k5"), _ => { upstreamStarted.TrySetResult(); return upstreamDone.Task; }, Silent, default);
        await upstreamStarted.Task;
        var leaseEnd = (await _store.FindByKeyAsync("acme", "k5", default))!.LeaseExpiresAt!.Value;

        // Past the first heartbeat (a third of the 30 s lease) and past the original lease end.
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            await WaitUntilAsync(async () => (await _store.FindByKeyAsync("acme", "k5", default))!.LeaseExpiresAt >= _time.GetUtcNow() + TimeSpan.FromSeconds(20));
        }

        var extended = (await _store.FindByKeyAsync("acme", "k5", default))!.LeaseExpiresAt!.Value;
        upstreamDone.SetResult("{}");
        await call;
        Assert.True(_time.GetUtcNow() > leaseEnd, "the original lease has ended");
        Assert.True(extended > _time.GetUtcNow(), "the lease was extended past now");
        Assert.Equal(ActionState.Committed, (await _store.FindByKeyAsync("acme", "k5", default))!.State);
    }

    [Fact]
    public void A_derived_key_binds_server_tool_request_id_and_arguments_and_fits_the_key_limit()
    {
        var hash = McpGate.ArgumentsHash("""{"b":2,"a":1}""");

        Assert.Equal(McpGate.ArgumentsHash("""{ "a": 1, "b": 2 }"""), hash);
        Assert.Equal($"mcp:mail:send_email:7:{hash}", McpGate.DerivedKey("mail", "send_email", "7", hash));
        Assert.NotEqual(McpGate.DerivedKey("mail", "send_email", "7", hash), McpGate.DerivedKey("mail", "send_email", "8", hash));
        Assert.True(McpGate.DerivedKey("mail", new string('t', 300), "7", hash).Length <= ActionInputs.MaxKeyLength);
    }

    private static IProgress<string> Silent => new Reported(() => { });

    private static McpToolCall Call(string key) => new("send_email", """{"to":"a@example.com"}""", key, null, "1");

    private Func<CancellationToken, Task<string>> Forward(string result) => _ =>
    {
        _forwards++;
        return Task.FromResult(result);
    };

    // The reviewer decides the key first, with the payload the gate will build for the call.
    private Task<DecisionResult> ApproveAsync(string key) =>
        new DecisionService(_store, Transitions, new NullActionEventPublisher(), _time).DecideAsync(
            Reviewer,
            new DecideCommand(key, "mcp:mail", Payload.Parse("""{"server":"mail","tool":"send_email","arguments":{"to":"a@example.com"}}"""), DecisionOutcome.Approve),
            default);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "the lease was not extended");
            await Task.Delay(10);
        }
    }

    private sealed class Reported(Action report) : IProgress<string>
    {
        public void Report(string value) => report();
    }
}
