using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aegis.Core.Actions;
using Aegis.Core.Links;
using Aegis.Core.Webhooks;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Aegis.Server.Tests.Webhooks.WebhookFixture;

namespace Aegis.Server.Tests.Webhooks;

/// <summary>
/// One-click decision links against the real PostgreSQL: a GET (a link scanner, or the reviewer opening it) decides
/// nothing, the confirming POST decides once, and a used, expired or changed-payload link decides nothing and says
/// why. Links come from Slack messages (which carry no payload by default) and from CreateDecisionLink.
/// </summary>
public sealed partial class DecisionLinkTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private const string PayloadSecret = "card-4111-1111-1111-1111";

    private AegisServer Server => fixture.Server;

    [Fact]
    public async Task A_slack_link_opened_twice_decides_nothing_the_post_decides_once_and_a_second_post_is_refused()
    {
        const string tenant = "link-slack";
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpointId, _) = await RegisterAsync(Server, tenant, receiver.Url, flavour: "WEBHOOK_FLAVOUR_SLACK", types: ["action.pending"]);
        var requestId = await RequestAsync(Server, tenant, "k-slack", $"{{\"card\":\"{PayloadSecret}\",\"note\":\"<script>alert(1)</script>\"}}");
        await DrainAsync(Server.Services.GetRequiredService<WebhookRelay>());

        // The Slack message: a summary with the request id and links, never the payload by default.
        var message = Assert.Single(receiver.Received);
        using var slack = JsonDocument.Parse(message.Body);
        var text = slack.RootElement.GetProperty("text").GetString()!;
        Assert.Contains(requestId, text, StringComparison.Ordinal);
        Assert.Contains("thread-k-slack", text, StringComparison.Ordinal);
        Assert.Contains("please check", text, StringComparison.Ordinal);
        Assert.DoesNotContain(PayloadSecret, message.Body, StringComparison.Ordinal);
        var approve = new Uri(Links().Match(text).Groups[1].Value);
        var path = approve.PathAndQuery;

        // GET twice (a scanner, then the reviewer): a confirmation page each time, nothing decided.
        for (var i = 0; i < 2; i++)
        {
            using var page = await Server.Rest.GetAsync(path);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
            Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("ACTION_STATE_PENDING", await StateAsync(tenant, requestId));
        }

        // The confirming POST decides, as the link's issuer.
        using (var post = await PostAsync(path, "looks fine"))
        {
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }

        var (_, action) = await CallAsync(Server, HttpMethod.Get, $"/api/v1/hitl/status/{requestId}", tenant);
        Assert.Equal("ACTION_STATE_APPROVED", action.GetProperty("state").GetString());
        var decision = action.GetProperty("decision");
        Assert.Equal($"link:endpoint:{endpointId}", decision.GetProperty("principal").GetString());
        Assert.Equal("looks fine", decision.GetProperty("comment").GetString());

        // A second POST is refused and says why; so is a GET now.
        using var again = await PostAsync(path, null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already been used", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var reopened = await Server.Rest.GetAsync(path);
        Assert.Equal(HttpStatusCode.Conflict, reopened.StatusCode);
        Assert.Equal(1L, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM decision_link_uses WHERE tenant_id = @t", ("t", tenant)));
    }

    [Fact]
    public async Task An_expired_link_decides_nothing()
    {
        const string tenant = "link-expired";
        var requestId = await RequestAsync(Server, tenant, "k-expired");
        var (status, minted) = await CallAsync(Server, HttpMethod.Post, "/api/v1/webhooks/links", tenant, new { request_id = requestId, decision = "DECISION_OUTCOME_APPROVE", ttl = "60s" });
        Assert.Equal(200, status);
        Assert.StartsWith("http://aegis.test/links/", minted.GetProperty("url").GetString(), StringComparison.Ordinal);

        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        using var post = await PostAsync(minted.GetProperty("path").GetString()!, null);

        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.Contains("expired", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("ACTION_STATE_PENDING", await StateAsync(tenant, requestId));
    }

    [Fact]
    public async Task A_link_for_another_payload_or_a_forged_link_decides_nothing()
    {
        const string tenant = "link-changed";
        var requestId = await RequestAsync(Server, tenant, "k-changed");
        var links = Server.Services.GetRequiredService<DecisionLinks>();
        var (_, json) = await CallAsync(Server, HttpMethod.Get, $"/api/v1/hitl/status/{requestId}", tenant);
        var action = (await Server.Services.GetRequiredService<Core.Ports.IActionStore>().FindByIdAsync(tenant, Guid.Parse(requestId), CancellationToken.None))!;

        // Minted for the payload as it was before a change (same action, other hash): a valid signature, a stale payload.
        var stale = await links.MintAsync(action with { PayloadHash = new string('0', 64) }, DecisionOutcome.Approve, "key:test", null, CancellationToken.None);
        using var changed = await PostAsync(stale.Path, null);
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Contains("payload changed", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A genuine link with its decision flipped in the token: the signature no longer verifies.
        var genuine = await links.MintAsync(action, DecisionOutcome.Reject, "key:test", null, CancellationToken.None);
        var facts = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(genuine.Token.Split('.')[0]));
        var forged = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(facts.Replace("\nreject\n", "\napprove\n", StringComparison.Ordinal))) + "." + genuine.Token.Split('.')[1];
        using var forgedPost = await PostAsync(DecisionLinks.PathPrefix + forged, null);
        Assert.Equal(HttpStatusCode.NotFound, forgedPost.StatusCode);

        Assert.Equal("ACTION_STATE_PENDING", await StateAsync(tenant, requestId));
        Assert.Equal("ACTION_STATE_PENDING", json.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_link_for_another_tenants_action_is_not_minted_and_a_decision_is_required()
    {
        var requestId = await RequestAsync(Server, "link-owner", "k-owner");

        var (status, body) = await CallAsync(Server, HttpMethod.Post, "/api/v1/webhooks/links", "link-stranger", new { request_id = requestId, decision = "DECISION_OUTCOME_APPROVE" });
        Assert.Equal(404, status);
        var (noDecision, _) = await CallAsync(Server, HttpMethod.Post, "/api/v1/webhooks/links", "link-owner", new { request_id = requestId });
        Assert.Equal(400, noDecision);
        Assert.Equal("ACTION_NOT_FOUND", body.GetProperty("reason").GetString());
    }

    private async Task<string> StateAsync(string tenant, string requestId)
    {
        var (_, json) = await CallAsync(Server, HttpMethod.Get, $"/api/v1/hitl/status/{requestId}", tenant);
        return json.GetProperty("state").GetString()!;
    }

    private Task<HttpResponseMessage> PostAsync(string path, string? comment) =>
        Server.Rest.PostAsync(path, new FormUrlEncodedContent(comment is null ? [] : [new KeyValuePair<string, string>("comment", comment)]));

    [GeneratedRegex("<(http://aegis\\.test/links/[^|>]+)\\|Approve")]
    private static partial Regex Links();
}
