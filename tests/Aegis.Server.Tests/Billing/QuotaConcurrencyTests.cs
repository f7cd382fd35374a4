using System.Net;
using System.Text.Json;
using Aegis.Billing.V1;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;

namespace Aegis.Server.Tests.Billing;

/// <summary>Invariants 2 and 8 (docs/architecture.md): a quota of N admits exactly N new actions under 10×N concurrency, across replicas;
/// a 429 is never stored as a key's outcome.</summary>
public sealed class QuotaConcurrencyTests
{
    private static readonly Dictionary<string, string?> Production = new()
    {
        ["Aegis:Auth:TrustTenantHeader"] = "false",
        ["Aegis:Signup:PermitLimit"] = "1000",
    };

    [Fact]
    public async Task Free_tenant_with_1000_concurrent_new_keys_on_two_replicas_gets_exactly_100_admitted_and_900_429()
    {
        var db = await SmallPoolDatabaseAsync();
        await using var a = await AegisServer.StartPostgresAsync(db, Production);
        await using var b = await AegisServer.StartPostgresAsync(db, Production);
        var tenant = await AccountCalls.SignupAsync(a.Rest);

        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var server = i % 2 == 0 ? a : b;
            var key = $"k-{i}";
            using var response = await server.Rest.SendAsync(AccountCalls.Decide("approve", tenant.AdminKey, key, $"{{\"i\":{i}}}"));
            return (Key: key, Response: response.StatusCode, Body: await RestCalls.JsonAsync(response), Headers: response.Headers);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(calls);

        Assert.Equal(100, results.Count(r => r.Response == HttpStatusCode.Accepted));
        var refused = results.Where(r => r.Response == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(900, refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Equal("QUOTA_EXCEEDED", r.Body.GetProperty("reason").GetString());
            Assert.Contains(r.Body.GetProperty("details").EnumerateArray(), d => d.GetProperty("@type").GetString()!.EndsWith("google.rpc.QuotaFailure", StringComparison.Ordinal));
            var retryAfter = long.Parse(r.Headers.GetValues("Retry-After").Single());
            Assert.InRange(retryAfter, 1, 31 * 86_400);
            Assert.Equal("\"monthly\";q=100;w=", r.Headers.GetValues("RateLimit-Policy").Single()[..18]);
            Assert.Equal($"\"monthly\";r=0;t={retryAfter}", r.Headers.GetValues("RateLimit").Single());
        });

        // What is stored: 100 actions, 100 usage events (one per action), and a ledger that adds up.
        Assert.Equal(100, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM actions WHERE tenant_id = @t", ("t", tenant.TenantId)));
        Assert.Equal(100, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM usage_events WHERE tenant_id = @t", ("t", tenant.TenantId)));
        Assert.Equal(100, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM usage_events u JOIN actions a ON a.id = u.id WHERE u.tenant_id = @t", ("t", tenant.TenantId)));
        Assert.Equal(100, await Db.ScalarAsync<long>(db, "SELECT claimed - COALESCE((SELECT sum(remaining) FROM quota_allotments WHERE tenant_id = @t), 0) FROM quota_counters WHERE tenant_id = @t", ("t", tenant.TenantId)));

        // A replay of an admitted key gets its normal duplicate answer (409 with the action), never 429.
        var admitted = results.First(r => r.Response == HttpStatusCode.Accepted);
        using (var replay = await b.Rest.SendAsync(AccountCalls.Decide("approve", tenant.AdminKey, admitted.Key, "{}")))
        {
            Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
            Assert.Equal(admitted.Body.GetProperty("request_id").GetString(), (await RestCalls.JsonAsync(replay)).GetProperty("request_id").GetString());
        }

        // The refusal was not stored as the key's outcome: still refused while the quota is spent, admitted after ChangePlan.
        var refusedKey = refused[0].Key;
        using (var again = await a.Rest.SendAsync(AccountCalls.Decide("approve", tenant.AdminKey, refusedKey, "{}")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        }

        await OperatorCredentials.ChangePlanAsync(b.Rest, tenant.TenantId, "pro");
        using (var after = await a.Rest.SendAsync(AccountCalls.Decide("approve", tenant.AdminKey, refusedKey, "{}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        }

        Assert.Equal(101, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM usage_events WHERE tenant_id = @t", ("t", tenant.TenantId)));
    }

    [Fact]
    public async Task Quota_refusal_on_gRPC_is_RESOURCE_EXHAUSTED_with_QuotaFailure_and_retry_metadata()
    {
        var db = await TestEnvironment.CreateDatabaseAsync();
        await using var server = await AegisServer.StartPostgresAsync(db, new Dictionary<string, string?> { ["Aegis:Billing:Plans:tiny"] = "2" });
        var billing = new BillingService.BillingServiceClient(server.Grpc);
        var hitl = new HitlService.HitlServiceClient(server.Grpc);
        var tenant = new Metadata { { "tenant-id", "tiny-" + Guid.NewGuid().ToString("N")[..8] } };
        await billing.ChangePlanAsync(new ChangePlanRequest { Plan = "tiny" }, tenant);
        await hitl.ApproveAsync(new ApproveRequest { IdempotencyKey = "a", ThreadId = "t" }, tenant);
        await hitl.ApproveAsync(new ApproveRequest { IdempotencyKey = "b", ThreadId = "t" }, tenant);

        var ex = await Assert.ThrowsAsync<RpcException>(() => hitl.ApproveAsync(new ApproveRequest { IdempotencyKey = "c", ThreadId = "t" }, tenant).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        var status = ex.GetRpcStatus()!;
        Assert.Contains(status.Details, d => d.Is(Google.Rpc.QuotaFailure.Descriptor));
        Assert.Equal("QUOTA_EXCEEDED", status.GetDetail<Google.Rpc.ErrorInfo>()!.Reason);
        Assert.True(status.GetDetail<Google.Rpc.RetryInfo>()!.RetryDelay.Seconds > 0);
    }

    [Fact]
    public async Task Chunked_allotments_admit_exactly_the_limit_even_when_the_replica_holding_parked_quota_stops()
    {
        var db = await SmallPoolDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Aegis:Billing:Plans:mid"] = "320" };
        var tenant = new Metadata { { "tenant-id", "mid-" + Guid.NewGuid().ToString("N")[..8] } };
        var tenantId = tenant.Get("tenant-id")!.Value;

        // Replica A starts using the quota: the first claim moves a chunk of 5 (320 / 64) into an allotment row.
        var a = await AegisServer.StartPostgresAsync(db, settings);
        await new BillingService.BillingServiceClient(a.Grpc).ChangePlanAsync(new ChangePlanRequest { Plan = "mid" }, tenant);
        var hitlA = new HitlService.HitlServiceClient(a.Grpc);
        for (var i = 0; i < 3; i++)
        {
            await hitlA.ApproveAsync(new ApproveRequest { IdempotencyKey = $"a-{i}", ThreadId = "t" }, tenant);
        }

        var parked = await Db.ScalarAsync<long>(db, "SELECT COALESCE(sum(remaining), 0) FROM quota_allotments WHERE tenant_id = @t", ("t", tenantId));
        Assert.True(parked > 0, "claims should have parked unused units in an allotment");
        await a.DisposeAsync();

        // Two other replicas race 10× the limit: every parked unit is still usable, and not one more.
        await using var b = await AegisServer.StartPostgresAsync(db, settings);
        await using var c = await AegisServer.StartPostgresAsync(db, settings);
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 3200).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var client = new HitlService.HitlServiceClient((i % 2 == 0 ? b : c).Grpc);
            try
            {
                await client.ApproveAsync(new ApproveRequest { IdempotencyKey = $"k-{i}", ThreadId = "t" }, tenant);
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(calls);

        var summary = string.Join(", ", results.GroupBy(s => s).Select(g => $"{g.Key}={g.Count()}"));
        Assert.True(results.Count(s => s == StatusCode.OK) == 317, summary);
        Assert.True(results.Count(s => s == StatusCode.ResourceExhausted) == 3200 - 317, summary);
        Assert.Equal(3200 - 317, results.Count(s => s == StatusCode.ResourceExhausted));
        Assert.Equal(320, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM usage_events WHERE tenant_id = @t", ("t", tenantId)));
        Assert.Equal(320, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM actions WHERE tenant_id = @t", ("t", tenantId)));
        Assert.Equal(320, await Db.ScalarAsync<long>(db, "SELECT claimed FROM quota_counters WHERE tenant_id = @t", ("t", tenantId)));
        Assert.Equal(0, await Db.ScalarAsync<long>(db, "SELECT COALESCE(sum(remaining), 0) FROM quota_allotments WHERE tenant_id = @t", ("t", tenantId)));
    }

    private static async Task ChangePlanAsync(AegisServer server, string tenant, string plan)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/plan");
        request.Headers.Add("Tenant-Id", tenant);
        request.Content = new StringContent(JsonSerializer.Serialize(new { plan }), System.Text.Encoding.UTF8, "application/json");
        using var response = await server.Rest.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Several replicas per test and other test classes in parallel share one PostgreSQL (max_connections 300):
    // a small pool per replica makes requests queue for a connection instead of exhausting the server.
    internal static async Task<string> SmallPoolDatabaseAsync() =>
        new Npgsql.NpgsqlConnectionStringBuilder(await TestEnvironment.CreateDatabaseAsync()) { MaxPoolSize = 30, Timeout = 120 }.ConnectionString;

    [Fact]
    public async Task Downgrade_below_current_usage_refuses_at_once_and_returns_parked_allotments()
    {
        var db = await SmallPoolDatabaseAsync();
        await using var server = await AegisServer.StartPostgresAsync(db);
        var tenant = "down-" + Guid.NewGuid().ToString("N")[..8];
        await ChangePlanAsync(server, tenant, "pro");
        var created = await Task.WhenAll(Enumerable.Range(0, 150).Select(async i =>
        {
            using var response = await server.Rest.SendAsync(RestCalls.Decide("approve", tenant, $"k{i}", "t", "{}"));
            return response.StatusCode;
        }));
        Assert.All(created, s => Assert.Equal(HttpStatusCode.Accepted, s));
        Assert.True(await Db.ScalarAsync<long>(db, "SELECT COALESCE(sum(remaining), 0) FROM quota_allotments WHERE tenant_id = @t", ("t", tenant)) > 0);

        await ChangePlanAsync(server, tenant, "free");

        using var refused = await server.Rest.SendAsync(RestCalls.Decide("approve", tenant, "after-downgrade", "t", "{}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(0, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM quota_allotments WHERE tenant_id = @t", ("t", tenant)));
        Assert.Equal(150, await Db.ScalarAsync<long>(db, "SELECT claimed FROM quota_counters WHERE tenant_id = @t", ("t", tenant)));
    }

    [Fact]
    public async Task Duplicates_and_reads_are_not_billed()
    {
        var db = await TestEnvironment.CreateDatabaseAsync();
        await using var server = await AegisServer.StartPostgresAsync(db);
        var tenant = "dup-" + Guid.NewGuid().ToString("N")[..8];
        string requestId;
        using (var first = await server.Rest.SendAsync(RestCalls.Decide("approve", tenant, "same", "t", "{}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            requestId = (await RestCalls.JsonAsync(first)).GetProperty("request_id").GetString()!;
        }

        for (var i = 0; i < 3; i++)
        {
            using var dup = await server.Rest.SendAsync(RestCalls.Decide("approve", tenant, "same", "t", "{}"));
            Assert.Equal(HttpStatusCode.Conflict, dup.StatusCode);
            using var read = await server.Rest.SendAsync(RestCalls.Status(requestId, tenant));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        Assert.Equal(1, await Db.ScalarAsync<long>(db, "SELECT count(*) FROM usage_events WHERE tenant_id = @t", ("t", tenant)));
        Assert.Equal(requestId, (await Db.ScalarAsync<Guid>(db, "SELECT id FROM usage_events WHERE tenant_id = @t", ("t", tenant))).ToString());
    }
}
