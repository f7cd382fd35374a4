using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Audit;

/// <summary>
/// What the audit API shows of one action's life and of account changes: every event, in order, with its actor,
/// before/after and the X-Request-Id of the call that caused it; the export gives the same as JSON Lines.
/// </summary>
public sealed class AuditTrailTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    private HttpClient Rest => fixture.Server.Rest;

    [Fact]
    public async Task One_actions_life_is_listed_newest_first_with_actors_and_causes_and_exported_oldest_first_as_JSON_lines()
    {
        var tenant = await AccountCalls.SignupAsync(Rest);
        var (agent, agentId) = await AccountCalls.CreateKeyAsync(Rest, tenant.AdminKey, "API_KEY_ROLE_AGENT", "agent");
        var (reviewer, reviewerId) = await AccountCalls.CreateKeyAsync(Rest, tenant.AdminKey, "API_KEY_ROLE_REVIEWER", "reviewer");

        // Request (agent), approve (reviewer), begin and complete (agent), each with its own X-Request-Id.
        var created = await SendAsync(
            Json(HttpMethod.Post, "/api/v1/hitl/requests", agent, "req-create", """{"idempotency_key":"wire-1","thread_id":"thread-a","payload_json":"{\"amount\":12345678901234567890}","timeout":"3600s"}"""),
            HttpStatusCode.Accepted);
        var requestId = created.GetProperty("request_id").GetString()!;
        using (var approve = AccountCalls.Decide("approve", reviewer, "wire-1"))
        {
            approve.Headers.Add("X-Request-Id", "req-approve");
            await SendAsync(approve, HttpStatusCode.Accepted);
        }

        await ExecuteAsync(agent, "wire-1", "req");
        await AuditCalls.SealedAsync(fixture.ConnectionString, tenant.TenantId);

        var events = await AuditCalls.EventsAsync(Rest, $"?request_id={requestId}", reviewer);

        Assert.Equal(["action.committed", "action.execution_started", "action.decided", "action.created"], events.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal([$"key:{agentId}", $"key:{agentId}", $"key:{reviewerId}", $"key:{agentId}"], events.Select(e => e.GetProperty("actor").GetProperty("principal").GetString()));
        Assert.All(events, e => Assert.Equal("api_key", e.GetProperty("actor").GetProperty("method").GetString()));
        Assert.Equal(["req-complete", "req-begin", "req-approve", "req-create"], events.Select(e => AuditCalls.Text(e, "cause_request_id")));
        Assert.All(events, e => Assert.Equal(requestId, e.GetProperty("request_id").GetString()));
        Assert.All(events, e => Assert.Equal("thread-a", e.GetProperty("thread_id").GetString()));
        Assert.All(events, e => Assert.Matches("^[0-9a-f]{64}$", e.GetProperty("hash").GetString()));
        var ids = events.Select(e => long.Parse(e.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(ids.OrderDescending(), ids);

        // Before/after are the action's states; a creation has nothing before.
        Assert.False(events[3].TryGetProperty("before", out _));
        Assert.Equal("PENDING", events[3].GetProperty("after").GetProperty("state").GetString());
        Assert.Equal(("PENDING", "APPROVED"), (events[2].GetProperty("before").GetProperty("state").GetString(), events[2].GetProperty("after").GetProperty("state").GetString()));
        Assert.Equal($"key:{reviewerId}", events[2].GetProperty("after").GetProperty("decision").GetProperty("principal").GetString());
        Assert.Equal(("APPROVED", "EXECUTING"), (events[1].GetProperty("before").GetProperty("state").GetString(), events[1].GetProperty("after").GetProperty("state").GetString()));
        Assert.Equal(("EXECUTING", "COMMITTED"), (events[0].GetProperty("before").GetProperty("state").GetString(), events[0].GetProperty("after").GetProperty("state").GetString()));
        Assert.Equal("approve", events[2].GetProperty("data").GetProperty("outcome").GetString());
        Assert.False(events[0].TryGetProperty("before_json", out _), "the exact text takes the place of the Struct over REST");

        // The export: the same events as JSON Lines, oldest first.
        using var export = await Rest.SendAsync(AuditCalls.Request(HttpMethod.Get, $"/api/v1/audit/export?request_id={requestId}", reviewer));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        var exported = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(JsonElement.DeepEquals(events[3 - i], exported[i]), $"line {i}: {lines[i]} differs from the listing's {events[3 - i]}");
        }
    }

    [Fact]
    public async Task A_quorum_of_two_actions_life_lists_both_approvals_with_their_reviewers_then_the_execution()
    {
        var tenant = await AccountCalls.SignupAsync(Rest);
        var (agent, agentId) = await AccountCalls.CreateKeyAsync(Rest, tenant.AdminKey, "API_KEY_ROLE_AGENT", "agent");
        var (first, firstId) = await AccountCalls.CreateKeyAsync(Rest, tenant.AdminKey, "API_KEY_ROLE_REVIEWER", "first");
        var (second, secondId) = await AccountCalls.CreateKeyAsync(Rest, tenant.AdminKey, "API_KEY_ROLE_REVIEWER", "second");
        await SendAsync(
            Json(HttpMethod.Post, "/api/v1/policies", tenant.AdminKey, "q-policy", """{"name":"two-eyes","rules":[{"condition":"true","effect":"POLICY_EFFECT_REQUIRE_HUMAN","required_approvals":2}]}"""),
            HttpStatusCode.OK);

        var created = await SendAsync(
            Json(HttpMethod.Post, "/api/v1/hitl/requests", agent, "q-create", """{"idempotency_key":"quorum-1","thread_id":"thread-q","payload_json":"{\"amount\":5000}","timeout":"3600s"}"""),
            HttpStatusCode.Accepted);
        var requestId = created.GetProperty("request_id").GetString()!;
        foreach (var (reviewer, cause) in new[] { (first, "q-approve-1"), (second, "q-approve-2") })
        {
            using var approve = AccountCalls.Decide("approve", reviewer, "quorum-1");
            approve.Headers.Add("X-Request-Id", cause);
            await SendAsync(approve, HttpStatusCode.Accepted);
        }

        await ExecuteAsync(agent, "quorum-1", "q");
        await AuditCalls.SealedAsync(fixture.ConnectionString, tenant.TenantId);

        var events = await AuditCalls.EventsAsync(Rest, $"?request_id={requestId}", first);

        Assert.Equal(
            ["action.committed", "action.execution_started", "action.decided", "action.approval_added", "action.created"],
            events.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(
            [$"key:{agentId}", $"key:{agentId}", $"key:{secondId}", $"key:{firstId}", $"key:{agentId}"],
            events.Select(e => e.GetProperty("actor").GetProperty("principal").GetString()));
        Assert.Equal(["q-complete", "q-begin", "q-approve-2", "q-approve-1", "q-create"], events.Select(e => AuditCalls.Text(e, "cause_request_id")));
        Assert.Equal("two-eyes@1", events[4].GetProperty("data").GetProperty("policy").GetString());
        Assert.Equal(2, events[4].GetProperty("data").GetProperty("required_approvals").GetInt32());
        Assert.Equal(1, events[3].GetProperty("data").GetProperty("approvals").GetInt32());
        Assert.Equal(("PENDING", "APPROVED"), (events[2].GetProperty("before").GetProperty("state").GetString(), events[2].GetProperty("after").GetProperty("state").GetString()));

        using var export = await Rest.SendAsync(AuditCalls.Request(HttpMethod.Get, $"/api/v1/audit/export?request_id={requestId}", first));
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(events.Select(e => e.GetProperty("id").GetString()).Reverse(), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Key_creation_and_revocation_and_plan_changes_are_events_with_their_before_and_after()
    {
        var tenant = await AccountCalls.SignupAsync(Rest);
        var (_, keyId) = await AccountCalls.CreateKeyAsync(Rest, tenant.AdminKey, "API_KEY_ROLE_AGENT", "ci-bot");
        using (var revoke = AccountCalls.Bearer(HttpMethod.Post, $"/api/v1/accounts/keys/{keyId}/revoke", tenant.AdminKey, "{}"))
        using (var revoked = await Rest.SendAsync(revoke))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        using (var again = await Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, $"/api/v1/accounts/keys/{keyId}/revoke", tenant.AdminKey, "{}")))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        await OperatorCredentials.ChangePlanAsync(Rest, tenant.TenantId, "pro");
        await AccountCalls.ChangePlanAsync(Rest, tenant.AdminKey, "free");

        var events = await AuditCalls.EventsAsync(Rest, "", tenant.AdminKey);

        Assert.Equal(["plan.changed", "plan.changed", "key.revoked", "key.created", "key.created"], events.Select(e => e.GetProperty("kind").GetString()));
        var (down, up, revokedEvent, createdEvent, signup) = (events[0], events[1], events[2], events[3], events[4]);
        Assert.Equal(("signup", "signup"), (signup.GetProperty("actor").GetProperty("principal").GetString(), signup.GetProperty("actor").GetProperty("method").GetString()));
        Assert.Equal("admin", signup.GetProperty("after").GetProperty("role").GetString());
        Assert.Equal(keyId, createdEvent.GetProperty("after").GetProperty("key_id").GetString());
        Assert.Equal("ci-bot", createdEvent.GetProperty("after").GetProperty("name").GetString());
        Assert.Equal("api_key", createdEvent.GetProperty("actor").GetProperty("method").GetString());
        Assert.Equal(JsonValueKind.Null, revokedEvent.GetProperty("before").GetProperty("revoked_at").ValueKind);
        Assert.Equal(JsonValueKind.String, revokedEvent.GetProperty("after").GetProperty("revoked_at").ValueKind);
        Assert.Equal(("free", "pro", "operator_key"), (up.GetProperty("before").GetProperty("plan").GetString(), up.GetProperty("after").GetProperty("plan").GetString(), up.GetProperty("actor").GetProperty("method").GetString()));
        Assert.Equal(("pro", "free", "api_key"), (down.GetProperty("before").GetProperty("plan").GetString(), down.GetProperty("after").GetProperty("plan").GetString(), down.GetProperty("actor").GetProperty("method").GetString()));

        // No part of a key's secret is in any event.
        Assert.DoesNotContain(tenant.AdminKey[..16], string.Join('\n', events.Select(e => e.GetRawText())));

        var keysOnly = await AuditCalls.EventsAsync(Rest, "?kind=key.", tenant.AdminKey);
        Assert.Equal(["key.revoked", "key.created", "key.created"], keysOnly.Select(e => e.GetProperty("kind").GetString()));
        var byOperator = await AuditCalls.EventsAsync(Rest, $"?actor={Uri.EscapeDataString(up.GetProperty("actor").GetProperty("principal").GetString()!)}", tenant.AdminKey);
        Assert.Equal(up.GetProperty("id").GetString(), Assert.Single(byOperator).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Listing_pages_newest_first_and_filters_by_thread_and_time()
    {
        const string tenant = "audit-paging";
        for (var i = 0; i < 5; i++)
        {
            using var r = await Rest.SendAsync(RestCalls.Decide("approve", tenant, $"k{i}", i % 2 == 0 ? "even" : "odd", "{}"));
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        }

        var all = await AuditCalls.EventsAsync(Rest, "", null, tenant);
        var page1 = await AuditCalls.GetAsync(Rest, "/api/v1/audit/events?page_size=2", null, tenant);
        var token1 = page1.GetProperty("next_page_token").GetString()!;
        var page2 = await AuditCalls.GetAsync(Rest, $"/api/v1/audit/events?page_size=2&page_token={token1}", null, tenant);
        var token2 = page2.GetProperty("next_page_token").GetString()!;
        var page3 = await AuditCalls.GetAsync(Rest, $"/api/v1/audit/events?page_size=2&page_token={token2}", null, tenant);
        var even = await AuditCalls.EventsAsync(Rest, "?thread_id=even", null, tenant);
        var middle = all[2].GetProperty("occurred_at").GetString()!;
        var since = await AuditCalls.EventsAsync(Rest, $"?since={Uri.EscapeDataString(middle)}", null, tenant);
        var until = await AuditCalls.EventsAsync(Rest, $"?until={Uri.EscapeDataString(middle)}", null, tenant);

        Assert.Equal(5, all.Count);
        Assert.Equal("tenant_header", all[0].GetProperty("actor").GetProperty("method").GetString());
        Assert.Equal(
            all.Select(e => e.GetProperty("id").GetString()),
            new[] { page1, page2, page3 }.SelectMany(p => p.GetProperty("events").EnumerateArray()).Select(e => e.GetProperty("id").GetString()));
        Assert.Equal("", AuditCalls.Text(page3, "next_page_token"));
        Assert.Equal(3, even.Count);
        Assert.All(even, e => Assert.Equal("even", e.GetProperty("thread_id").GetString()));
        Assert.Equal(all.Take(3).Select(e => e.GetProperty("id").GetString()), since.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(all.Skip(3).Select(e => e.GetProperty("id").GetString()), until.Select(e => e.GetProperty("id").GetString()));
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string key, string requestId, string body)
    {
        var request = AccountCalls.Bearer(method, path, key, body);
        request.Headers.Add("X-Request-Id", requestId);
        return request;
    }

    // Begin and complete the approved action as the agent, with X-Request-Ids "<cause>-begin" and "<cause>-complete".
    private async Task ExecuteAsync(string agent, string key, string cause)
    {
        var begun = await SendAsync(
            Json(HttpMethod.Post, "/api/v1/hitl/executions/begin", agent, $"{cause}-begin", $$"""{"idempotency_key":"{{key}}","lease_ttl":"30s"}"""), HttpStatusCode.OK);
        var token = begun.GetProperty("lease").GetProperty("fencing_token").ToString();
        await SendAsync(
            Json(HttpMethod.Post, "/api/v1/hitl/executions/complete", agent, $"{cause}-complete", $$"""{"idempotency_key":"{{key}}","fencing_token":"{{token}}","result_json":"{\"ok\":true}"}"""),
            HttpStatusCode.OK);
    }

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, HttpStatusCode expected)
    {
        using (request)
        using (var response = await Rest.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }
}
