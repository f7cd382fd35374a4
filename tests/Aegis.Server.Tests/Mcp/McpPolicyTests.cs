using System.Net;
using System.Text.Json;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Mcp;

/// <summary>
/// The tenant's policies decide proxied MCP calls like any other action: the gate goes through RequestApproval, so an
/// auto-approved call reaches the upstream without a reviewer, and an auto-rejected one never does.
/// </summary>
public sealed class McpPolicyTests(McpFixture fixture) : IClassFixture<McpFixture>
{
    private const string Proxy = "/mcp/proxy/mail";

    private const string Policy = """
        {"name":"mail-rules","rules":[
          {"name":"no-ceo","condition":"payload.tool == 'send_email' && payload.arguments.to == 'ceo@example.com'",
           "effect":"POLICY_EFFECT_REJECT","reason":"CEO_IS_OFF_LIMITS","retryable":false},
          {"name":"internal","condition":"payload.tool == 'send_email' && payload.arguments.to.endsWith('@example.org')",
           "effect":"POLICY_EFFECT_APPROVE"}]}
        """;

    [Fact]
    public async Task A_policy_approves_a_proxied_call_without_a_reviewer_and_rejects_another_before_the_upstream()
    {
        var tenant = await fixture.NewTenantAsync();
        using var save = AccountCalls.Bearer(HttpMethod.Post, "/api/v1/policies", tenant.AdminKey, Policy);
        using var saved = await fixture.Server.Rest.SendAsync(save);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        await using var agent = await McpCalls.ConnectAsync(fixture.Server, Proxy, tenant.AgentKey);

        var approved = await McpCalls.CallAsync(agent, "send_email", Email("team@example.org"), "policy-ok").WaitAsync(TimeSpan.FromSeconds(30));
        var rejected = await McpCalls.CallAsync(agent, "send_email", Email("ceo@example.com"), "policy-no").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("sent #1 to team@example.org: hello", McpCalls.Text(approved));
        Assert.Equal(1, fixture.Upstream.Calls.Count("send_email", "team@example.org"));
        Assert.Equal("CEO_IS_OFF_LIMITS", McpCalls.ErrorReason(rejected));
        Assert.False(McpCalls.Body(rejected).GetProperty("error").GetProperty("retryable").GetBoolean());
        Assert.Equal(0, fixture.Upstream.Calls.Count("send_email", "ceo@example.com"));

        using var list = AccountCalls.Bearer(HttpMethod.Get, "/api/v1/audit/events?kind=action.created", tenant.ReviewerKey);
        using var events = await fixture.Server.Rest.SendAsync(list);
        var created = JsonDocument.Parse(await events.Content.ReadAsStringAsync()).RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(2, created.Count);
        Assert.All(created, e => Assert.Equal("policy:mail-rules@1", e.GetProperty("actor").GetProperty("principal").GetString()));
        Assert.All(created, e => Assert.Equal("send_email", e.GetProperty("data").GetProperty("mcp_tool").GetString()));
    }

    private static Dictionary<string, object?> Email(string to) => new() { ["to"] = to, ["body"] = "hello" };
}
