using System.Net;
using System.Text.Json;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Webhooks;

/// <summary>Who may do what with webhooks and links, with real API keys: endpoints are admin-only; links need a reviewer.</summary>
public sealed class WebhookRoleTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private HttpClient Rest => fixture.Server.Rest;

    [Fact]
    public async Task Only_an_admin_key_registers_endpoints_and_an_agent_key_cannot_mint_a_link()
    {
        var tenant = await AccountCalls.SignupAsync(Rest);
        var (agent, _) = await AccountCalls.CreateKeyAsync(Rest, tenant.AdminKey, "API_KEY_ROLE_AGENT");
        var (reviewer, _) = await AccountCalls.CreateKeyAsync(Rest, tenant.AdminKey, "API_KEY_ROLE_REVIEWER");
        var endpoint = JsonSerializer.Serialize(new { url = "http://127.0.0.1:9/hook" });

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/api/v1/webhooks", agent, endpoint));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/api/v1/webhooks", reviewer, endpoint));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Get, "/api/v1/webhooks", reviewer, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Get, "/api/v1/webhooks", null, null));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Post, "/api/v1/webhooks", tenant.AdminKey, endpoint));

        using var create = AccountCalls.Bearer(HttpMethod.Post, "/api/v1/hitl/requests", agent, JsonSerializer.Serialize(new { idempotency_key = "k-role", thread_id = "t", payload_json = "{}" }));
        using var created = await Rest.SendAsync(create);
        var requestId = (await RestCalls.JsonAsync(created)).GetProperty("request_id").GetString();
        var mint = JsonSerializer.Serialize(new { request_id = requestId, decision = "DECISION_OUTCOME_APPROVE" });

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/api/v1/webhooks/links", agent, mint));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Post, "/api/v1/webhooks/links", reviewer, mint));
    }

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string? key, string? json)
    {
        using var request = AccountCalls.Bearer(method, path, key, json);
        using var response = await Rest.SendAsync(request);
        return response.StatusCode;
    }
}
