using System.Net;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;
using static Aegis.Testing.ExactlyOnceChecker;

namespace Aegis.Server.Tests.Hitl;

/// <summary>Invariant 1 (docs/architecture.md): one action per (tenant, key), whatever the concurrency.</summary>
public sealed class DecisionConcurrencyTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    private const int Callers = 500;

    [Fact]
    public async Task Approve_with_same_key_from_500_gRPC_callers_creates_one_action()
    {
        var client = new HitlService.HitlServiceClient(fixture.Server.Grpc);
        var key = "grpc-" + Guid.NewGuid();
        var headers = new Metadata { { "tenant-id", "acme" } };
        using var start = new ManualResetEventSlim();

        var calls = Enumerable.Range(0, Callers).Select(i => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await client.ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = "t", PayloadJson = "{\"n\":1}" }, headers);
                return Outcome.Won;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
            {
                return Outcome.Duplicate;
            }
            catch (RpcException)
            {
                return Outcome.Other;
            }
        })).ToList();
        start.Set();
        var history = await Task.WhenAll(calls);

        var rows = await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM actions WHERE tenant_id = 'acme' AND idempotency_key = @k", ("k", key));
        Assert.Empty(Problems(history, rows));
        Assert.Equal(Callers - 1, history.Count(o => o == Outcome.Duplicate));
        var created = await Db.ScalarAsync<long>(
            fixture.ConnectionString,
            "SELECT count(*) FROM audit_events e JOIN actions a ON a.id = e.action_id WHERE a.idempotency_key = @k AND e.kind = 'action.created'",
            ("k", key));
        Assert.Equal(1, created);
    }

    [Fact]
    public async Task Approve_with_same_key_from_500_REST_callers_gives_one_202_and_499_409_with_the_action()
    {
        var key = "rest-" + Guid.NewGuid();
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, Callers).Select(i => Task.Run(async () =>
        {
            start.Wait();
            using var response = await fixture.Server.Rest.SendAsync(RestCalls.Decide("approve", "acme", key, "t", "{\"n\":1}"));
            var body = await RestCalls.JsonAsync(response);
            return (response.StatusCode, body);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(calls);

        var history = results.Select(r => r.StatusCode switch
        {
            HttpStatusCode.Accepted => Outcome.Won,
            HttpStatusCode.Conflict => Outcome.Duplicate,
            _ => Outcome.Other,
        }).ToList();
        var rows = await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM actions WHERE idempotency_key = @k", ("k", key));
        Assert.Empty(Problems(history, rows));

        var winner = results.Single(r => r.StatusCode == HttpStatusCode.Accepted).body;
        var requestId = winner.GetProperty("request_id").GetString();
        Assert.All(results.Where(r => r.StatusCode == HttpStatusCode.Conflict), r =>
        {
            Assert.Equal(requestId, r.body.GetProperty("request_id").GetString());
            Assert.Equal("ACTION_STATE_APPROVED", r.body.GetProperty("action").GetProperty("state").GetString());
            Assert.Equal("DUPLICATE_KEY", r.body.GetProperty("reason").GetString());
        });
    }
}
