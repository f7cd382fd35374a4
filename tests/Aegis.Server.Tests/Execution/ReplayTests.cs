using System.Net;
using System.Text.Json;
using Aegis.Client;
using Aegis.Server.Tests.Infrastructure;
using Proto = Aegis.Hitl.V1;

namespace Aegis.Server.Tests.Execution;

/// <summary>Invariants 3 and 8 (docs/architecture.md): a retry of a COMMITTED action is answered from what is stored and runs nothing.</summary>
public sealed class ReplayTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    // Digits a double would lose, in a result, to show the stored JSON is what comes back.
    private const string Result = "{\"charge\":\"ch_1\",\"amount\":12345678901234567890.000000000000000001,\"fx\":[0.1,1e2]}";

    [Fact]
    public async Task A_thousand_retries_after_commit_get_the_identical_stored_result_and_the_side_effect_runs_once()
    {
        var key = ExecutionFixture.NewKey("replay");
        await fixture.ApproveAsync(key, "{\"to\":\"a@example.com\"}");
        var sideEffects = 0;
        var guard = new ExecutionGuard(fixture.Client, new ExecutionGuardOptions { Headers = fixture.Headers, HeartbeatInterval = TimeSpan.Zero });
        Task<string> SendEmail(ExecutionAttempt attempt, CancellationToken ct)
        {
            Interlocked.Increment(ref sideEffects);
            return Task.FromResult(Result);
        }

        var first = await guard.RunAsync(key, "{\"to\":\"a@example.com\"}", SendEmail);
        Assert.Equal(ExecutionOutcome.Executed, first.Outcome);
        var stored = first.ResultJson!;
        Assert.Contains("12345678901234567890.000000000000000001", stored);
        var versionAfterCommit = first.Action.Version;

        // 400 one after another, 400 at once over gRPC, 200 at once over REST.
        var sequential = new List<ExecutionResult>();
        for (var i = 0; i < 400; i++)
        {
            sequential.Add(await guard.RunAsync(key, "{\"to\":\"a@example.com\"}", SendEmail));
        }

        using var start = new ManualResetEventSlim();
        var grpc = Enumerable.Range(0, 400).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await guard.RunAsync(key, "{\"to\":\"a@example.com\"}", SendEmail);
        })).ToList();
        var restBody = JsonSerializer.Serialize(new { idempotency_key = key, payload_json = "{\"to\":\"a@example.com\"}" });
        var rest = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await fixture.Server.Rest.SendAsync(ExecutionFixture.RestPost("begin", restBody));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToList();
        start.Set();
        var concurrent = await Task.WhenAll(grpc);
        var restResults = await Task.WhenAll(rest);

        Assert.Equal(1, sideEffects);
        Assert.All(sequential.Concat(concurrent), r =>
        {
            Assert.Equal(ExecutionOutcome.Replayed, r.Outcome);
            Assert.Equal(stored, r.ResultJson, StringComparer.Ordinal);
        });
        Assert.All(restResults, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var firstRest = restResults[0].Body;
        Assert.All(restResults, r => Assert.Equal(firstRest, r.Body, StringComparer.Ordinal));
        using var doc = JsonDocument.Parse(firstRest);
        Assert.Equal("EXECUTION_STATUS_REPLAYED", doc.RootElement.GetProperty("status").GetString());
        var restResult = doc.RootElement.GetProperty("action").GetProperty("execution").GetProperty("result");
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(stored).RootElement), restResult.GetRawText());
        Assert.Contains("12345678901234567890.000000000000000001", restResult.GetRawText());

        // Nothing was written by any retry: no new version, no audit row beyond create, start and commit.
        var after = await fixture.StatusAsync(key);
        Assert.Equal(versionAfterCommit, after.Version);
        Assert.Equal(3, await fixture.CountAsync(
            "SELECT count(*) FROM audit_events e JOIN actions a ON a.id = e.action_id WHERE a.idempotency_key = @k", ("k", key)));
    }

    [Fact]
    public async Task The_holder_repeating_Complete_gets_the_stored_action_and_the_first_result_stands()
    {
        var key = ExecutionFixture.NewKey("recomplete");
        await fixture.ApproveAsync(key);
        var begun = await fixture.BeginAsync(key);
        var committed = await fixture.CompleteAsync(key, begun.Lease.FencingToken, "{\"n\":1}");

        var again = await fixture.CompleteAsync(key, begun.Lease.FencingToken, "{\"n\":2}");

        Assert.Equal(committed, again);
        Assert.Equal("{\"n\": 1}", again.Execution.ResultJson);
        Assert.Equal(Proto.ActionState.Committed, again.State);
    }
}
