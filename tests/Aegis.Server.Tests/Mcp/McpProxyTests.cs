using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Aegis.Core.Json;
using Aegis.Server.Mcp;
using Aegis.Server.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Npgsql;

namespace Aegis.Server.Tests.Mcp;

/// <summary>The gating proxy at <c>/mcp/proxy/{upstream}</c> in front of a real upstream MCP server, over the real PostgreSQL.</summary>
public sealed class McpProxyTests(McpFixture fixture) : IClassFixture<McpFixture>
{
    private const string Proxy = "/mcp/proxy/mail";
    private static readonly string[] AllTools = ["*"];

    [Fact]
    public async Task Tools_list_passes_through_with_gated_tools_marked()
    {
        var tenant = await fixture.NewTenantAsync();
        await using var agent = await McpCalls.ConnectAsync(fixture.Server, Proxy, tenant.AgentKey);

        var tools = (await agent.ListToolsAsync()).ToDictionary(t => t.Name, t => t.Description);

        Assert.Equal(["echo", "send_email"], tools.Keys.Order());
        Assert.Equal(McpProxy.GatedMarker + "Sends an email.", tools["send_email"]);
        Assert.Equal("Echoes its text.", tools["echo"]);
    }

    [Fact]
    public async Task Fifty_concurrent_identical_calls_with_one_key_run_the_upstream_once_and_all_get_its_result()
    {
        var tenant = await fixture.NewTenantAsync();
        await using var agent = await McpCalls.ConnectAsync(fixture.Server, Proxy, tenant.AgentKey);
        var args = Email("fifty@example.com");

        var waiting = new ConcurrentDictionary<int, bool>();
        var calls = Enumerable.Range(0, 50)
            .Select(i => McpCalls.CallAsync(agent, "send_email", args, "fifty-1", new SyncProgress(_ => waiting[i] = true)))
            .ToArray();
        await Eventually.TrueAsync(() => waiting.Count == 50, TimeSpan.FromSeconds(60), "all 50 calls are waiting for the decision");
        Assert.Equal(0, fixture.Upstream.Calls.Count("send_email", "fifty@example.com"));

        await McpCalls.DecideOverRestAsync(fixture.Server, tenant.ReviewerKey, "approve", "fifty-1", Payload(args));
        var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, fixture.Upstream.Calls.Count("send_email", "fifty@example.com"));
        Assert.All(results, r => Assert.Equal("sent #1 to fifty@example.com: hello", McpCalls.Text(r)));
        Assert.All(results, r => Assert.NotEqual(true, r.IsError));
        Assert.Equal(1L, await Db.ScalarAsync<long>(
            fixture.ConnectionString, "select count(*) from actions where tenant_id = @t and idempotency_key = 'fifty-1' and state = 'COMMITTED'", ("t", tenant.TenantId)));
        Assert.Equal(1L, await Db.ScalarAsync<long>(fixture.ConnectionString, "select count(*) from usage_events where tenant_id = @t", ("t", tenant.TenantId)));
    }

    [Fact]
    public async Task A_call_undecided_past_its_wait_is_retryable_and_the_same_call_later_gets_the_result()
    {
        await using var replica = await AegisServer.StartPostgresAsync(
            fixture.ConnectionString, new Dictionary<string, string?> { ["Aegis:Signup:PermitLimit"] = "1000", ["Aegis:Mcp:MaxCallWaitSeconds"] = "1" });
        var tenant = await fixture.NewTenantAsync(replica);
        await using var agent = await McpCalls.ConnectAsync(replica, Proxy, tenant.AgentKey);
        var args = Email("pending@example.com");

        var pending = await McpCalls.CallAsync(agent, "send_email", args, "pending-1");
        Assert.Equal("DECISION_PENDING", McpCalls.ErrorReason(pending));
        Assert.True(McpCalls.Body(pending).GetProperty("error").GetProperty("retryable").GetBoolean());
        Assert.Equal(0, fixture.Upstream.Calls.Count("send_email", "pending@example.com"));

        await McpCalls.DecideOverRestAsync(replica, tenant.ReviewerKey, "approve", "pending-1", Payload(args));
        var retried = await McpCalls.CallAsync(agent, "send_email", args, "pending-1");

        Assert.Equal("sent #1 to pending@example.com: hello", McpCalls.Text(retried));
    }

    [Fact]
    public async Task A_call_nobody_decides_before_the_upstreams_deadline_expires_and_never_reaches_the_upstream()
    {
        var tenant = await fixture.NewTenantAsync();
        var body = JsonSerializer.Serialize(new
        {
            name = "mail-fast", url = fixture.Upstream.Endpoint.ToString(), auth_header = UpstreamMcpServer.AuthHeader, gated_tools = AllTools, decision_timeout = "1s",
        });
        using (var register = AccountCalls.Bearer(HttpMethod.Post, "/api/v1/mcp/upstreams", tenant.AdminKey, body))
        using (var registered = await fixture.Server.Rest.SendAsync(register))
        {
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        }

        await using var agent = await McpCalls.ConnectAsync(fixture.Server, "/mcp/proxy/mail-fast", tenant.AgentKey);
        var expired = await McpCalls.CallAsync(agent, "send_email", Email("expired@example.com"), "expire-1").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("DECISION_EXPIRED", McpCalls.ErrorReason(expired));
        Assert.Equal(0, fixture.Upstream.Calls.Count("send_email", "expired@example.com"));
    }

    [Fact]
    public async Task Retry_after_the_proxy_replica_restarts_returns_the_stored_result_and_changed_arguments_are_refused()
    {
        var args = Email("restart@example.com");
        ProxyTenant tenant;
        string first;
        await using (var replicaA = await fixture.StartReplicaAsync())
        {
            tenant = await fixture.NewTenantAsync(replicaA);
            await using var agentA = await McpCalls.ConnectAsync(replicaA, Proxy, tenant.AgentKey);
            first = McpCalls.Text(await CallDecidedAsync(replicaA, agentA, tenant, args, "restart-1", "approve"));
        }

        // A new replica on the same database: it knows the call only from what is stored.
        await using var replicaB = await fixture.StartReplicaAsync();
        await using var agentB = await McpCalls.ConnectAsync(replicaB, Proxy, tenant.AgentKey);
        var retried = await McpCalls.CallAsync(agentB, "send_email", args, "restart-1");

        Assert.Equal("sent #1 to restart@example.com: hello", first);
        Assert.Equal(first, McpCalls.Text(retried));
        Assert.Equal(1, fixture.Upstream.Calls.Count("send_email", "restart@example.com"));

        var changed = await McpCalls.CallAsync(agentB, "send_email", Email("someone-else@example.com"), "restart-1");
        Assert.Equal("PAYLOAD_MISMATCH", McpCalls.ErrorReason(changed));
        Assert.Equal(0, fixture.Upstream.Calls.Count("send_email", "someone-else@example.com"));

        // Replica B decrypts the upstream's auth header that replica A encrypted (one key ring, in the database).
        var echoed = await McpCalls.CallAsync(agentB, "echo", new Dictionary<string, object?> { ["text"] = "from-b" });
        Assert.Equal("echo: from-b", McpCalls.Text(echoed));
    }

    [Fact]
    public async Task Rejected_call_never_reaches_the_upstream_and_says_why_and_whether_to_retry()
    {
        var tenant = await fixture.NewTenantAsync();
        await using var agent = await McpCalls.ConnectAsync(fixture.Server, Proxy, tenant.AgentKey);
        var args = Email("rejected@example.com");
        var result = await CallDecidedAsync(fixture.Server, agent, tenant, args, "reject-1", "reject", "?reason=RECIPIENT_BLOCKED&retryable=true");
        var retried = await McpCalls.CallAsync(agent, "send_email", args, "reject-1");

        Assert.Equal("RECIPIENT_BLOCKED", McpCalls.ErrorReason(result));
        Assert.True(McpCalls.Body(result).GetProperty("error").GetProperty("retryable").GetBoolean());
        Assert.Equal("RECIPIENT_BLOCKED", McpCalls.ErrorReason(retried));
        Assert.Equal(0, fixture.Upstream.Calls.Count("send_email", "rejected@example.com"));
    }

    [Fact]
    public async Task Ungated_tool_is_forwarded_at_once_audited_and_not_an_action()
    {
        var tenant = await fixture.NewTenantAsync();
        await using var agent = await McpCalls.ConnectAsync(fixture.Server, Proxy, tenant.AgentKey);

        var result = await McpCalls.CallAsync(agent, "echo", new Dictionary<string, object?> { ["text"] = "ungated-1" });

        Assert.Equal("echo: ungated-1", McpCalls.Text(result));
        Assert.Equal(1, fixture.Upstream.Calls.Count("echo", "ungated-1"));
        Assert.Equal(0L, await Db.ScalarAsync<long>(fixture.ConnectionString, "select count(*) from actions where tenant_id = @t", ("t", tenant.TenantId)));
        Assert.Equal(0L, await Db.ScalarAsync<long>(fixture.ConnectionString, "select count(*) from usage_events where tenant_id = @t", ("t", tenant.TenantId)));
        var audit = await Db.ScalarAsync<string>(
            fixture.ConnectionString, "select data::text from audit_events where tenant_id = @t and kind = 'mcp.tool_forwarded'", ("t", tenant.TenantId));
        using var data = JsonDocument.Parse(audit);
        Assert.Equal("mail", data.RootElement.GetProperty("server").GetString());
        Assert.Equal("echo", data.RootElement.GetProperty("tool").GetString());
        Assert.Equal(Hash("""{"text":"ungated-1"}"""), data.RootElement.GetProperty("arguments_hash").GetString());
    }

    [Fact]
    public async Task Audit_trail_of_a_proxied_call_shows_server_tool_argument_hash_decision_and_result()
    {
        var tenant = await fixture.NewTenantAsync();
        await using var agent = await McpCalls.ConnectAsync(fixture.Server, Proxy, tenant.AgentKey);
        var args = Email("audit@example.com");
        await CallDecidedAsync(fixture.Server, agent, tenant, args, "audit-1", "approve");

        var trail = await AuditTrailAsync(tenant.TenantId, "audit-1");
        Assert.Equal(["action.created", "action.decided", "action.execution_started", "action.committed"], trail.Select(e => e.Kind));
        var created = trail[0].Data.RootElement;
        Assert.Equal("mail", created.GetProperty("mcp_server").GetString());
        Assert.Equal("send_email", created.GetProperty("mcp_tool").GetString());
        Assert.Equal(Hash("""{"to":"audit@example.com","body":"hello"}"""), created.GetProperty("arguments_hash").GetString());
        Assert.Equal("approve", trail[1].Data.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("key:" + tenant.ReviewerKeyId, trail[1].Actor);
        var storedResult = await Db.ScalarAsync<string>(
            fixture.ConnectionString, "select result::text from actions where tenant_id = @t and idempotency_key = 'audit-1'", ("t", tenant.TenantId));
        Assert.Contains("sent #1 to audit@example.com", storedResult, StringComparison.Ordinal);
        Assert.Equal(Hash(storedResult), trail[3].Data.RootElement.GetProperty("result_hash").GetString());
    }

    [Fact]
    public async Task Registering_an_upstream_is_admin_only_audited_and_keeps_the_auth_header_encrypted()
    {
        var tenant = await fixture.NewTenantAsync();

        using (var byAgent = await fixture.RegisterAsync(fixture.Server, tenant.AgentKey, "mail-2"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        }

        using (var duplicate = await fixture.RegisterAsync(fixture.Server, tenant.AdminKey, "mail"))
        {
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        }

        using var list = AccountCalls.Bearer(HttpMethod.Get, "/api/v1/mcp/upstreams", tenant.AdminKey);
        using var listed = await fixture.Server.Rest.SendAsync(list);
        var listedBody = await listed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var upstream = Assert.Single(JsonDocument.Parse(listedBody).RootElement.GetProperty("upstreams").EnumerateArray());
        Assert.True(upstream.GetProperty("auth_header_set").GetBoolean());
        Assert.Equal(["send_email"], upstream.GetProperty("gated_tools").EnumerateArray().Select(t => t.GetString()));

        var stored = await Db.ScalarAsync<string>(
            fixture.ConnectionString, "select auth_header_protected from mcp_upstreams where tenant_id = @t", ("t", tenant.TenantId));
        var audited = await Db.ScalarAsync<string>(
            fixture.ConnectionString, "select data::text from audit_events where tenant_id = @t and kind = 'mcp_upstream.created'", ("t", tenant.TenantId));
        Assert.DoesNotContain("upstream-secret", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("upstream-secret", listedBody, StringComparison.Ordinal);
        Assert.DoesNotContain("upstream-secret", audited, StringComparison.Ordinal);
        Assert.Contains("\"mail\"", audited, StringComparison.Ordinal);
        Assert.Equal(1L, await Db.ScalarAsync<long>(
            fixture.ConnectionString, "select count(*) from audit_events where tenant_id = @t and kind = 'mcp_upstream.created'", ("t", tenant.TenantId)));
    }

    [Fact]
    public async Task Unknown_or_another_tenants_upstream_is_not_found_and_a_bad_registration_changes_nothing()
    {
        var owner = await fixture.NewTenantAsync();
        var other = await fixture.NewTenantAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => McpCalls.ConnectAsync(fixture.Server, "/mcp/proxy/nope", owner.AgentKey));
        using var probe = AccountCalls.Bearer(HttpMethod.Post, "/mcp/proxy/nope", owner.AgentKey, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        using var probed = await fixture.Server.Rest.SendAsync(probe);
        Assert.Equal(HttpStatusCode.NotFound, probed.StatusCode);

        // The other tenant's "mail" is its own registration: it never reaches the owner's actions.
        await using var otherAgent = await McpCalls.ConnectAsync(fixture.Server, Proxy, other.AgentKey);
        Assert.Equal("echo: other-tenant", McpCalls.Text(await McpCalls.CallAsync(otherAgent, "echo", new Dictionary<string, object?> { ["text"] = "other-tenant" })));

        using var bad = AccountCalls.Bearer(HttpMethod.Post, "/api/v1/mcp/upstreams", owner.AdminKey,
            """{"name":"bad name","url":"ftp://x","gated_tools":["a b"]}""");
        using var refused = await fixture.Server.Rest.SendAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(1L, await Db.ScalarAsync<long>(fixture.ConnectionString, "select count(*) from mcp_upstreams where tenant_id = @t", ("t", owner.TenantId)));
    }

    [Fact]
    public async Task Only_allowed_hosts_can_be_registered_and_only_agents_call_through_the_proxy()
    {
        await using var replica = await AegisServer.StartPostgresAsync(
            fixture.ConnectionString, new Dictionary<string, string?> { ["Aegis:Signup:PermitLimit"] = "1000", ["Aegis:Mcp:AllowedHosts:0"] = "mcp.example.com" });
        var tenant = await AccountCalls.SignupAsync(replica.Rest);

        using var refused = await fixture.RegisterAsync(replica, tenant.AdminKey, "mail");
        var body = await RestCalls.JsonAsync(refused);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("UPSTREAM_HOST_NOT_ALLOWED", body.GetProperty("reason").GetString());
        Assert.Equal(0L, await Db.ScalarAsync<long>(fixture.ConnectionString, "select count(*) from mcp_upstreams where tenant_id = @t", ("t", tenant.TenantId)));

        // An upstream registered while any host was allowed is not called once the list leaves it out.
        var registered = await fixture.NewTenantAsync();
        using var notAllowed = AccountCalls.Bearer(HttpMethod.Post, Proxy, registered.AgentKey, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        using var blocked = await replica.Rest.SendAsync(notAllowed);
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        using var byReviewer = AccountCalls.Bearer(HttpMethod.Post, Proxy, registered.ReviewerKey, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        using var reviewerRefused = await fixture.Server.Rest.SendAsync(byReviewer);
        Assert.Equal(HttpStatusCode.Forbidden, reviewerRefused.StatusCode);
    }

    private static Dictionary<string, object?> Email(string to) => new() { ["to"] = to, ["body"] = "hello" };

    private static string Payload(Dictionary<string, object?> args) =>
        JsonSerializer.Serialize(new { server = "mail", tool = "send_email", arguments = args });

    // Calls send_email with the key, waits until the call reports it is waiting, then has the reviewer decide over REST.
    private static async Task<CallToolResult> CallDecidedAsync(
        AegisServer server, McpClient agent, ProxyTenant tenant, Dictionary<string, object?> args, string key, string verb, string query = "")
    {
        var waiting = new TaskCompletionSource();
        var call = McpCalls.CallAsync(agent, "send_email", args, key, new SyncProgress(_ => waiting.TrySetResult()));
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await McpCalls.DecideOverRestAsync(server, tenant.ReviewerKey, verb, key, Payload(args), query);
        return await call.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static string Hash(string json) => CanonicalJson.Sha256Hex(CanonicalJson.Canonicalize(json));

    private async Task<List<(string Kind, string Actor, JsonDocument Data)>> AuditTrailAsync(string tenantId, string key)
    {
        await using var conn = new NpgsqlConnection(fixture.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            """
            select e.kind, e.actor, e.data::text from audit_events e join actions a on a.id = e.action_id
            where a.tenant_id = @t and a.idempotency_key = @k order by e.id
            """, conn);
        cmd.Parameters.AddWithValue("t", tenantId);
        cmd.Parameters.AddWithValue("k", key);
        var trail = new List<(string, string, JsonDocument)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            trail.Add((reader.GetString(0), reader.GetString(1), JsonDocument.Parse(reader.GetString(2))));
        }

        return trail;
    }
}
