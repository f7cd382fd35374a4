using System.Net;
using System.Text.Json;
using Aegis.Accounts.V1;
using Aegis.Billing.V1;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;

namespace Aegis.Server.Tests.Accounts;

/// <summary>Invariant 4 (docs/architecture.md): keys, roles and tenant isolation, on a production-mode pair of replicas (no trusted header).</summary>
public sealed class ApiKeyAuthTests : IAsyncLifetime
{
    private string _db = "";
    private AegisServer? _a;
    private AegisServer? _b;

    private AegisServer A => _a!;

    private AegisServer B => _b!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _db = await Billing.QuotaConcurrencyTests.SmallPoolDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Aegis:Auth:TrustTenantHeader"] = "false", ["Aegis:Signup:PermitLimit"] = "1000" };
        _a = await AegisServer.StartPostgresAsync(_db, settings);
        _b = await AegisServer.StartPostgresAsync(_db, settings);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    [Fact]
    public async Task Signup_returns_an_admin_sk_live_key_once_and_refuses_a_taken_or_malformed_email()
    {
        var email = $"Owner-{Guid.NewGuid():N}@Example.com";
        using var first = await A.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, "/api/v1/accounts/signup", null, JsonSerializer.Serialize(new { email })));
        var body = await RestCalls.JsonAsync(first);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var key = body.GetProperty("api_key").GetString()!;
        Assert.Matches("^sk_live_[0-9A-Za-z]{43}$", key);
        Assert.StartsWith("ten_", body.GetProperty("tenant_id").GetString());
        Assert.Equal("API_KEY_ROLE_ADMIN", body.GetProperty("key").GetProperty("role").GetString());
        Assert.Equal("free", body.GetProperty("plan").GetString());

        using var taken = await B.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, "/api/v1/accounts/signup", null, JsonSerializer.Serialize(new { email = email.ToLowerInvariant() })));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("EMAIL_TAKEN", await taken.Content.ReadAsStringAsync());

        foreach (var bad in new[] { "", "no-at-sign", "a@b", "two@@example.com", "sp ace@example.com" })
        {
            using var invalid = await A.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, "/api/v1/accounts/signup", null, JsonSerializer.Serialize(new { email = bad })));
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        // The key works, and ListApiKeys shows its prefix but never the key.
        using var list = await A.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Get, "/api/v1/accounts/keys", key));
        var listed = await list.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains(key[..12], listed);
        Assert.DoesNotContain(key, listed);
    }

    [Fact]
    public async Task Concurrent_signups_with_one_email_create_one_account()
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var server = i % 2 == 0 ? A : B;
            using var response = await server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, "/api/v1/accounts/signup", null, JsonSerializer.Serialize(new { email })));
            return response.StatusCode;
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(calls);

        Assert.Equal(1, results.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(19, results.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(1, await Db.ScalarAsync<long>(_db, "SELECT count(*) FROM accounts WHERE email = @e", ("e", email)));
        Assert.Equal(1, await Db.ScalarAsync<long>(_db, "SELECT count(*) FROM api_keys k JOIN accounts a ON a.tenant_id = k.tenant_id WHERE a.email = @e", ("e", email)));
    }

    [Fact]
    public async Task Agent_key_can_create_and_read_but_never_decide_or_administer()
    {
        var tenant = await AccountCalls.SignupAsync(A.Rest);
        var (agent, _) = await AccountCalls.CreateKeyAsync(A.Rest, tenant.AdminKey, "API_KEY_ROLE_AGENT");
        var (reviewer, _) = await AccountCalls.CreateKeyAsync(A.Rest, tenant.AdminKey, "API_KEY_ROLE_REVIEWER");

        using (var rest = await A.Rest.SendAsync(AccountCalls.Decide("approve", agent, "k1")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, rest.StatusCode);
        }

        var hitl = new HitlService.HitlServiceClient(B.Grpc);
        var denied = await Assert.ThrowsAsync<RpcException>(() => hitl.RejectAsync(new RejectRequest { IdempotencyKey = "k1", ThreadId = "t" }, AccountCalls.GrpcAuth(agent)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(0, await Db.ScalarAsync<long>(_db, "SELECT count(*) FROM actions WHERE tenant_id = @t", ("t", tenant.TenantId)));

        foreach (var (method, path, json) in new[]
        {
            (HttpMethod.Post, "/api/v1/accounts/keys", "{\"role\":\"API_KEY_ROLE_ADMIN\"}"),
            (HttpMethod.Get, "/api/v1/accounts/keys", null),
            (HttpMethod.Get, "/api/v1/billing/usage", null),
            (HttpMethod.Post, "/api/v1/billing/plan", "{\"plan\":\"enterprise\"}"),
        })
        {
            using var response = await A.Rest.SendAsync(AccountCalls.Bearer(method, path, agent, json));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} with an agent key: {(int)response.StatusCode}");
        }

        // A reviewer decides; the agent then reads what was decided.
        string requestId;
        using (var approved = await A.Rest.SendAsync(AccountCalls.Decide("approve", reviewer, "k1")))
        {
            Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);
            requestId = (await RestCalls.JsonAsync(approved)).GetProperty("request_id").GetString()!;
        }

        var status = await hitl.GetStatusAsync(new GetStatusRequest { RequestId = requestId }, AccountCalls.GrpcAuth(agent));
        Assert.Equal(ActionState.Approved, status.Action.State);
        Assert.StartsWith("key:", status.Action.Decision.Principal);
    }

    [Fact]
    public async Task Revoked_key_is_refused_at_once_on_both_ports_of_every_replica()
    {
        var tenant = await AccountCalls.SignupAsync(A.Rest);
        var (reviewer, keyId) = await AccountCalls.CreateKeyAsync(A.Rest, tenant.AdminKey, "API_KEY_ROLE_REVIEWER");
        var hitlB = new HitlService.HitlServiceClient(B.Grpc);
        await hitlB.ApproveAsync(new ApproveRequest { IdempotencyKey = "before", ThreadId = "t" }, AccountCalls.GrpcAuth(reviewer));

        using (var revoke = await A.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, $"/api/v1/accounts/keys/{keyId}/revoke", tenant.AdminKey, "{}")))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            Assert.True((await RestCalls.JsonAsync(revoke)).GetProperty("key").TryGetProperty("revoked_at", out _));
        }

        foreach (var server in new[] { A, B })
        {
            using var rest = await server.Rest.SendAsync(AccountCalls.Decide("approve", reviewer, "after"));
            Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
            var grpc = await Assert.ThrowsAsync<RpcException>(() =>
                new HitlService.HitlServiceClient(server.Grpc).ApproveAsync(new ApproveRequest { IdempotencyKey = "after", ThreadId = "t" }, AccountCalls.GrpcAuth(reviewer)).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, grpc.StatusCode);
        }

        // The tenant's other keys are untouched.
        using var admin = await B.Rest.SendAsync(AccountCalls.Decide("approve", tenant.AdminKey, "after"));
        Assert.Equal(HttpStatusCode.Accepted, admin.StatusCode);
    }

    [Fact]
    public async Task Missing_malformed_or_unknown_credentials_get_401_and_the_Tenant_Id_header_is_not_trusted()
    {
        var unknown = "sk_live_" + new string('A', 43);
        foreach (var auth in new[] { "Bearer " + unknown, "Bearer nope", "Basic dXNlcjpwdw==", "Bearer " })
        {
            using var request = RestCalls.Decide("approve", null, "k", "t", "{}");
            request.Headers.TryAddWithoutValidation("Authorization", auth);
            using var response = await A.Rest.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{auth}: {(int)response.StatusCode}");
        }

        using var header = await A.Rest.SendAsync(RestCalls.Decide("approve", "acme", "k", "t", "{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, header.StatusCode);
        using var none = await A.Rest.SendAsync(RestCalls.Decide("approve", null, "k", "t", "{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(0, await Db.ScalarAsync<long>(_db, "SELECT count(*) FROM actions"));
    }

    [Fact]
    public async Task Tenant_A_key_on_tenant_B_objects_gets_404_and_never_B_data()
    {
        var tenantA = await AccountCalls.SignupAsync(A.Rest);
        var tenantB = await AccountCalls.SignupAsync(A.Rest);
        var (_, bKeyId) = await AccountCalls.CreateKeyAsync(A.Rest, tenantB.AdminKey, "API_KEY_ROLE_AGENT");
        string bRequestId;
        using (var created = await A.Rest.SendAsync(AccountCalls.Decide("reject", tenantB.AdminKey, "b-key", "{\"secret\":\"b-only\"}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            bRequestId = (await RestCalls.JsonAsync(created)).GetProperty("request_id").GetString()!;
        }

        var aKey = tenantA.AdminKey;
        var hitl = new HitlService.HitlServiceClient(B.Grpc);

        // Status by id and by key: 404 on both ports.
        using (var rest = await B.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Get, $"/api/v1/hitl/status/{bRequestId}", aKey)))
        {
            Assert.Equal(HttpStatusCode.NotFound, rest.StatusCode);
            Assert.DoesNotContain("b-only", await rest.Content.ReadAsStringAsync());
        }

        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => hitl.GetStatusAsync(new GetStatusRequest { RequestId = bRequestId }, AccountCalls.GrpcAuth(aKey)).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => hitl.GetStatusAsync(new GetStatusRequest { IdempotencyKey = "b-key" }, AccountCalls.GrpcAuth(aKey)).ResponseAsync)).StatusCode);

        // Revoking B's key with A's admin key: 404, and B's key still works.
        using (var revoke = await A.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, $"/api/v1/accounts/keys/{bKeyId}/revoke", aKey, "{}")))
        {
            Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        }

        var accounts = new AccountService.AccountServiceClient(A.Grpc);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => accounts.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = bKeyId }, AccountCalls.GrpcAuth(aKey)).ResponseAsync)).StatusCode);
        Assert.Equal(0, await Db.ScalarAsync<long>(_db, "SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL"));

        // Deciding B's idempotency key with A's key acts in A's own namespace: B's action is untouched.
        var version = await Db.ScalarAsync<long>(_db, "SELECT version FROM actions WHERE id = @id", ("id", Guid.Parse(bRequestId)));
        var mine = await hitl.ApproveAsync(new ApproveRequest { IdempotencyKey = "b-key", ThreadId = "t" }, AccountCalls.GrpcAuth(aKey));
        Assert.NotEqual(bRequestId, mine.Action.RequestId);
        Assert.Equal("REJECTED", await Db.ScalarAsync<string>(_db, "SELECT state FROM actions WHERE id = @id", ("id", Guid.Parse(bRequestId))));
        Assert.Equal(version, await Db.ScalarAsync<long>(_db, "SELECT version FROM actions WHERE id = @id", ("id", Guid.Parse(bRequestId))));

        // Lists and usage are A's alone.
        var keys = await accounts.ListApiKeysAsync(new ListApiKeysRequest(), AccountCalls.GrpcAuth(aKey));
        Assert.DoesNotContain(keys.Keys, k => k.KeyId == bKeyId);
        var billing = new BillingService.BillingServiceClient(B.Grpc);
        var events = await billing.ListUsageEventsAsync(new ListUsageEventsRequest(), AccountCalls.GrpcAuth(aKey));
        Assert.Equal([mine.Action.RequestId], events.Events.Select(e => e.RequestId));
        Assert.Equal(1, (await billing.GetUsageAsync(new GetUsageRequest(), AccountCalls.GrpcAuth(aKey))).Usage.Used);
        using var csv = await A.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Get, "/api/v1/billing/usage/export", aKey));
        Assert.DoesNotContain(bRequestId, await csv.Content.ReadAsStringAsync());
    }
}
