using System.Collections.Concurrent;
using Aegis.Client;
using Aegis.Client.Exceptions;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Gate;
using Microsoft.Extensions.DependencyInjection;

namespace Aegis.Server.Tests.Client;

/// <summary>
/// <see cref="AegisClient"/> against a real replica (Kestrel on loopback, PostgreSQL, Redis): decisions, the gate
/// across two clients, and <see cref="AegisClient.GuardAsync{T}"/> under concurrency, crashes and rejection.
/// </summary>
public sealed class AegisClientTests(GateFixture fixture) : IClassFixture<GateFixture>, IDisposable
{
    private readonly ServiceProvider _services = Services(fixture, "dotnet-client");

    private AegisClient Agent => _services.GetRequiredService<AegisClient>();

    [Fact]
    public async Task Approve_is_accepted_once_and_the_same_key_again_is_AlreadyDecided_with_the_stored_action()
    {
        var key = $"send-email-{Guid.NewGuid()}";

        var approved = await Agent.ApproveAsync(key, """{"amount": 12345678901234567890}""");
        var duplicate = await Assert.ThrowsAsync<AlreadyDecidedException>(() => Agent.RejectAsync(key));

        Assert.Equal(ActionState.Approved, approved.State);
        Assert.Contains("12345678901234567890", approved.PayloadJson, StringComparison.Ordinal);
        Assert.Equal("DUPLICATE_KEY", duplicate.Reason);
        Assert.Equal(approved.RequestId, duplicate.Action!.RequestId);
        Assert.Equal(ActionState.Approved, (await Agent.GetStatusAsync(approved.RequestId)).State);
        await Assert.ThrowsAsync<ActionNotFoundException>(() => Agent.GetStatusAsync(Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task A_decision_by_a_second_client_arrives_on_the_agents_watch()
    {
        using var reviewerServices = Services(fixture, "reviewer");
        var reviewer = reviewerServices.GetRequiredService<AegisClient>();
        var key = $"wire-{Guid.NewGuid()}";
        var pending = await Agent.RequestApprovalAsync(key, """{"amount": 500}""", commentForReviewer: "new payee");
        await Assert.ThrowsAsync<PayloadMismatchException>(() => Agent.RequestApprovalAsync(key, """{"amount": 501}"""));

        await using var watch = Agent.WatchAsync(pending.RequestId).GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(ActionState.Pending, watch.Current.State); // the watch is live once its snapshot arrived
        var next = watch.MoveNextAsync().AsTask();
        await reviewer.RejectAsync(key, """{"amount": 500}""", reason: "NEW_PAYEE", retryable: true);

        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ActionState.Rejected, watch.Current.State);
        Assert.Equal("NEW_PAYEE", watch.Current.Decision.Reason);
        Assert.False(await watch.MoveNextAsync()); // the stream ends after the decision
        Assert.Equal(ActionState.Rejected, (await Agent.WaitForDecisionAsync(pending.RequestId, TimeSpan.FromSeconds(30))).State);
    }

    [Fact]
    public async Task GuardAsync_runs_the_side_effect_once_across_50_concurrent_callers()
    {
        var key = $"charge-{Guid.NewGuid()}";
        var runs = 0;
        var options = new GuardOptions { PayloadJson = """{"cents": 12345678901234567890}""", RequireApproval = false, Timeout = TimeSpan.FromSeconds(120) };

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => Agent.GuardAsync(
            key,
            async (attempt, ct) =>
            {
                Interlocked.Increment(ref runs);
                await Task.Delay(300, ct); // hold the lease while the others arrive
                return new Receipt($"ch-{attempt.FencingToken}");
            },
            options))));

        Assert.Equal(1, runs);
        Assert.All(results, r => Assert.Equal("ch-1", r.Id));
    }

    [Fact]
    public async Task GuardAsync_retried_after_a_crash_sends_once()
    {
        var sent = new ConcurrentQueue<string>();
        var options = new GuardOptions { PayloadJson = """{"to": "ceo@example.com"}""", RequireApproval = false, LeaseTtl = TimeSpan.FromSeconds(1) };

        // Crash during the side effect, before it happened: the process is gone, its lease is left to expire.
        var crashedDuring = $"mail-{Guid.NewGuid()}";
        using (var crash = new CancellationTokenSource())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Agent.GuardAsync<Receipt>(
                crashedDuring,
                async (_, ct) =>
                {
                    await crash.CancelAsync();
                    ct.ThrowIfCancellationRequested();
                    throw new InvalidOperationException("unreachable");
                },
                options,
                crash.Token));
        }

        var retried = await Agent.GuardAsync(crashedDuring, Send(sent, crashedDuring), options);

        // Crash right after: the result was stored, the agent died before noting that the step was done.
        var crashedAfter = $"mail-{Guid.NewGuid()}";
        var first = await Agent.GuardAsync(crashedAfter, Send(sent, crashedAfter), options);
        var replayed = await Agent.GuardAsync(crashedAfter, Send(sent, crashedAfter), options);

        Assert.Equal([crashedDuring, crashedAfter], sent);
        Assert.Equal(crashedDuring, retried.Id);
        Assert.Equal(first, replayed);
    }

    [Fact]
    public async Task A_rejection_surfaces_reason_and_retryable_from_GuardAsync()
    {
        using var reviewerServices = Services(fixture, "reviewer");
        var reviewer = reviewerServices.GetRequiredService<AegisClient>();
        var key = $"wire-{Guid.NewGuid()}";
        var ran = false;

        // The reviewer's inbox: the tenant's PENDING transitions (the first message says the watch is live).
        using var inbox = reviewer.Hitl.WatchActions(new WatchActionsRequest { State = ActionState.Pending });
        Assert.True(await inbox.ResponseStream.MoveNext(CancellationToken.None));
        var guarded = Agent.GuardAsync(
            key, (_, _) => Task.FromResult(ran = true), new GuardOptions { PayloadJson = """{"amount": 9000}""", Timeout = TimeSpan.FromSeconds(60) });
        while (await inbox.ResponseStream.MoveNext(CancellationToken.None) && inbox.ResponseStream.Current.Action?.IdempotencyKey != key)
        {
        }

        await reviewer.RejectAsync(key, """{"amount": 9000}""", reason: "OVER_BUDGET", retryable: true);
        var rejected = await Assert.ThrowsAsync<ActionRejectedException>(() => guarded.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("OVER_BUDGET", rejected.Reason);
        Assert.True(rejected.Retryable);
        Assert.Equal(ActionState.Rejected, rejected.Action.State);
        Assert.False(ran);
    }

    [Fact]
    public async Task WaitForDecisionAsync_resumes_after_the_connection_is_cut()
    {
        await using var proxy = new CuttableProxy(fixture.Server.GrpcPort);
        using var agentServices = Services(fixture, "t-cut", proxy.Port);
        using var reviewerServices = Services(fixture, "t-cut");
        var agent = agentServices.GetRequiredService<AegisClient>();
        var reviewer = reviewerServices.GetRequiredService<AegisClient>();
        var key = $"cut-{Guid.NewGuid()}";
        var pending = await reviewer.RequestApprovalAsync(key, """{"amount": 1}""");

        var waiting = agent.WaitForDecisionAsync(pending.RequestId, TimeSpan.FromSeconds(60));
        await proxy.Responded.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the replica answered on the agent's connection
        Assert.False(waiting.IsCompleted);
        var connectionsBefore = proxy.Connections;
        proxy.Cut();
        await reviewer.ApproveAsync(key, """{"amount": 1}""");
        var decided = await waiting.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ActionState.Approved, decided.State);
        Assert.True(proxy.Connections > connectionsBefore, "the agent reconnected through the proxy");
    }

    [Fact]
    public void AddAegisClient_refuses_options_without_an_address_or_credentials()
    {
        using var services = new ServiceCollection().AddLogging().AddAegisClient(_ => { }).Services.BuildServiceProvider();

        var invalid = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<AegisClient>());

        Assert.Contains(invalid.Failures, f => f.Contains("Address", StringComparison.Ordinal));
        Assert.Contains(invalid.Failures, f => f.Contains("ApiKey or a TenantId", StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public void Dispose() => _services.Dispose();

    private static ServiceProvider Services(GateFixture fixture, string thread, int? port = null) =>
        new ServiceCollection()
            .AddLogging()
            .AddAegisClient(o =>
            {
                o.Address = new Uri($"http://127.0.0.1:{port ?? fixture.Server.GrpcPort}");
                o.TenantId = "acme";
                o.ThreadId = thread;
            })
            .Services.BuildServiceProvider();

    private static Func<ExecutionAttempt, CancellationToken, Task<Receipt>> Send(ConcurrentQueue<string> sent, string key) => (_, _) =>
    {
        sent.Enqueue(key);
        return Task.FromResult(new Receipt(key));
    };

    private sealed record Receipt(string Id);
}
