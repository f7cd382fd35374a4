using System.Text.Json;
using Aegis.Core.Actions;
using Aegis.Core.Webhooks;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Aegis.Server.Tests.Webhooks.WebhookFixture;

namespace Aegis.Server.Tests.Webhooks;

/// <summary>
/// Webhooks against the real PostgreSQL and a receiver on loopback: every event type arrives signed, a failing
/// receiver gets the same event id once it recovers, two replicas' relays never send the same attempt at once, and
/// each registration is audited.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private AegisServer Server => fixture.Server;

    private WebhookRelay Relay => Server.Services.GetRequiredService<WebhookRelay>();

    [Fact]
    public async Task Every_event_type_arrives_once_signed_with_the_endpoint_secret()
    {
        const string tenant = "wh-all-types";
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpointId, secret) = await RegisterAsync(Server, tenant, receiver.Url);

        // pending → decided → committed
        await RequestAsync(Server, tenant, "k-commit");
        Assert.Equal(202, await DecideAsync(tenant, "approve", "k-commit"));
        var token = await BeginAsync(tenant, "k-commit");
        var (complete, _) = await CallAsync(Server, HttpMethod.Post, "/api/v1/hitl/executions/complete", tenant, new { idempotency_key = "k-commit", fencing_token = token, result_json = "{\"sent\":1}" });
        Assert.Equal(200, complete);
        // approved on creation → failed
        Assert.Equal(202, await DecideAsync(tenant, "approve", "k-fail"));
        var failToken = await BeginAsync(tenant, "k-fail");
        var (fail, _) = await CallAsync(Server, HttpMethod.Post, "/api/v1/hitl/executions/fail", tenant, new { idempotency_key = "k-fail", fencing_token = failToken, error_json = "{\"why\":\"smtp\"}", retryable = false });
        Assert.Equal(200, fail);
        // pending → expired
        await RequestAsync(Server, tenant, "k-expire", timeout: "5s");
        fixture.Time.Advance(TimeSpan.FromSeconds(6));
        await Server.Services.GetRequiredService<DeadlineExpirer>().ExpireDueAsync(Clock.Now(fixture.Time), 100, CancellationToken.None);

        await DrainAsync(Relay);

        var received = receiver.Received.ToList();
        Assert.Equal(
            ["action.committed", "action.decided", "action.decided", "action.expired", "action.failed", "action.pending", "action.pending"],
            received.Select(r => r.EventType).Order());
        Assert.Equal(received.Count, received.Select(r => r.EventId).Distinct().Count());
        Assert.All(received, r => Assert.True(WebhookSignature.Verify(secret, r.Signature, r.Body), "signature of " + r.EventType));
        Assert.All(received, r => Assert.False(WebhookSignature.Verify("whsec_wrong", r.Signature, r.Body)));
        foreach (var r in received)
        {
            using var doc = JsonDocument.Parse(r.Body);
            Assert.Equal(r.EventId, doc.RootElement.GetProperty("id").GetString());
            Assert.Equal(r.EventType, doc.RootElement.GetProperty("type").GetString());
        }

        // The exact payload (20 digits) travels in the generic event; links only while the action is still PENDING.
        var pending = received.First(r => r.EventType == "action.pending" && r.Body.Contains("k-commit", StringComparison.Ordinal));
        Assert.Contains("12345678901234567890", pending.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("/links/", pending.Body, StringComparison.Ordinal);
        var committed = received.Single(r => r.EventType == "action.committed");
        using (var doc = JsonDocument.Parse(committed.Body))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("data").GetProperty("action").GetProperty("result").GetProperty("sent").GetInt32());
        }

        // The registration was audited in its transaction, with how its actor authenticated.
        Assert.Equal(1L, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM audit_events WHERE tenant_id = @t AND kind = 'webhook.created' AND data->>'endpoint_id' = @e AND actor_method <> ''", ("t", tenant), ("e", endpointId)));
    }

    [Fact]
    public async Task A_receiver_failing_its_first_three_attempts_gets_the_event_with_the_same_event_id()
    {
        const string tenant = "wh-retry";
        await using var receiver = await WebhookReceiver.StartAsync(answer: n => n <= 3 ? 503 : 200);
        var (endpointId, _) = await RegisterAsync(Server, tenant, receiver.Url, types: ["action.pending"]);
        await RequestAsync(Server, tenant, "k-retry");

        for (var round = 0; round < 6 && !receiver.Received.Any(r => r.Answered == 200); round++)
        {
            await Relay.RunOnceAsync(CancellationToken.None);
            // Past the longest backoff (8 s): the next attempt is due.
            fixture.Time.Advance(TimeSpan.FromSeconds(9));
        }

        var received = receiver.Received.ToList();
        Assert.Equal([1, 2, 3, 4], received.Select(r => r.Attempt));
        Assert.Equal([503, 503, 503, 200], received.Select(r => r.Answered));
        Assert.Single(received.Select(r => r.EventId).Distinct());
        using (var body = JsonDocument.Parse(received[^1].Body))
        {
            Assert.StartsWith("http://aegis.test/links/", body.RootElement.GetProperty("data").GetProperty("links").GetProperty("approve").GetString(), StringComparison.Ordinal);
        }

        var (status, log) = await CallAsync(Server, HttpMethod.Get, $"/api/v1/webhooks/{endpointId}/deliveries", tenant);
        Assert.Equal(200, status);
        var delivery = log.GetProperty("deliveries").EnumerateArray().Single();
        Assert.Equal("DELIVERY_STATE_DELIVERED", delivery.GetProperty("state").GetString());
        Assert.Equal(received[0].EventId, delivery.GetProperty("event_id").GetString());
        Assert.Equal([200, 503, 503, 503], delivery.GetProperty("log").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()));

        // A manual redelivery sends the same event id again.
        var (redeliver, _) = await CallAsync(Server, HttpMethod.Post, $"/api/v1/webhooks/{endpointId}/deliveries/{received[0].EventId}:redeliver", tenant, new { });
        Assert.Equal(200, redeliver);
        await DrainAsync(Relay);
        Assert.Equal(received[0].EventId, receiver.Received.Last().EventId);
        Assert.Equal(5, receiver.Received.Count);
    }

    [Fact]
    public async Task A_delivery_that_never_succeeds_is_marked_failed_after_the_retry_window()
    {
        const string tenant = "wh-give-up";
        await using var receiver = await WebhookReceiver.StartAsync(answer: _ => 500);
        var (endpointId, _) = await RegisterAsync(Server, tenant, receiver.Url, types: ["action.pending"]);
        await RequestAsync(Server, tenant, "k-give-up");

        // An hour between rounds (each backoff is at most 8 s, so every round makes one attempt): the 24 h window, not
        // a count of attempts, ends them.
        for (var round = 0; round < 30; round++)
        {
            await Relay.RunOnceAsync(CancellationToken.None);
            fixture.Time.Advance(TimeSpan.FromHours(1));
        }

        var (_, log) = await CallAsync(Server, HttpMethod.Get, $"/api/v1/webhooks/{endpointId}/deliveries", tenant);
        var delivery = log.GetProperty("deliveries")[0];
        Assert.Equal("DELIVERY_STATE_FAILED", delivery.GetProperty("state").GetString());
        Assert.InRange(receiver.Received.Count, 24, 26);
        Assert.Equal(receiver.Received.Count, delivery.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Two_replicas_never_send_the_same_attempt_at_the_same_moment()
    {
        const string tenant = "wh-two-relays";
        // Slow answers keep attempts in flight while the other relay claims; every first attempt fails.
        await using var receiver = await WebhookReceiver.StartAsync(answer: n => n == 1 ? 500 : 200, delay: TimeSpan.FromMilliseconds(30));
        await RegisterAsync(Server, tenant, receiver.Url, types: ["action.pending"]);
        await using var replicaB = await fixture.StartReplicaAsync(allowLoopback: true);
        var relayB = replicaB.Services.GetRequiredService<WebhookRelay>();
        const int events = 30;
        for (var i = 0; i < events; i++)
        {
            await RequestAsync(i % 2 == 0 ? Server : replicaB, tenant, $"k-race-{i}");
        }

        for (var round = 0; round < 20 && receiver.Received.Count(r => r.Answered == 200) < events; round++)
        {
            await Task.WhenAll(Loop(Relay), Loop(relayB), Loop(Relay), Loop(relayB));
            fixture.Time.Advance(TimeSpan.FromSeconds(9));
        }

        var received = receiver.Received.ToList();
        Assert.Equal(events, received.Count(r => r.Answered == 200));
        Assert.Equal(events * 2, received.Count);
        Assert.Equal(received.Count, received.Select(r => (r.EventId, r.Attempt)).Distinct().Count());
        Assert.Equal(1, receiver.MaxInFlightPerEvent);

        static async Task Loop(WebhookRelay relay)
        {
            for (var i = 0; i < 5; i++)
            {
                await relay.RunOnceAsync(CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task A_tenant_without_endpoints_writes_no_outbox_rows_and_endpoints_are_tenant_scoped()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpointId, _) = await RegisterAsync(Server, "wh-owner", receiver.Url);
        await RequestAsync(Server, "wh-nobody", "k-none");
        Assert.Equal(202, await DecideAsync("wh-nobody", "approve", "k-none"));

        Assert.Equal(0L, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM webhook_deliveries WHERE tenant_id = 'wh-nobody'"));
        var (list, _) = await CallAsync(Server, HttpMethod.Get, $"/api/v1/webhooks/{endpointId}/deliveries", "wh-nobody");
        Assert.Equal(404, list);
        var (delete, _) = await CallAsync(Server, HttpMethod.Delete, $"/api/v1/webhooks/{endpointId}", "wh-nobody");
        Assert.Equal(404, delete);
        var (_, mine) = await CallAsync(Server, HttpMethod.Get, "/api/v1/webhooks", "wh-owner");
        Assert.Single(mine.GetProperty("webhooks").EnumerateArray());
        Assert.DoesNotContain("whsec_", mine.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_endpoint_gets_no_new_events_until_enabled_and_a_deleted_one_none_at_all()
    {
        const string tenant = "wh-toggle";
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpointId, _) = await RegisterAsync(Server, tenant, receiver.Url, types: ["action.pending"]);

        var (disabled, body) = await CallAsync(Server, HttpMethod.Post, $"/api/v1/webhooks/{endpointId}:set-enabled", tenant, new { enabled = false });
        Assert.Equal(200, disabled);
        Assert.False(body.GetProperty("webhook").TryGetProperty("enabled", out var on) && on.GetBoolean());
        await RequestAsync(Server, tenant, "k-while-disabled");
        var (enabled, _) = await CallAsync(Server, HttpMethod.Post, $"/api/v1/webhooks/{endpointId}:set-enabled", tenant, new { enabled = true });
        Assert.Equal(200, enabled);
        await RequestAsync(Server, tenant, "k-while-enabled");
        await DrainAsync(Relay);

        var only = Assert.Single(receiver.Received);
        Assert.Contains("k-while-enabled", only.Body, StringComparison.Ordinal);

        var (deleted, _) = await CallAsync(Server, HttpMethod.Delete, $"/api/v1/webhooks/{endpointId}", tenant);
        Assert.Equal(200, deleted);
        await RequestAsync(Server, tenant, "k-after-delete");
        await DrainAsync(Relay);
        Assert.Single(receiver.Received);
        Assert.Equal(0L, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM webhook_deliveries WHERE tenant_id = @t", ("t", tenant)));
        Assert.Equal(
            ["webhook.created", "webhook.deleted", "webhook.disabled", "webhook.enabled"],
            (await AuditKindsAsync(tenant)).Order());
    }

    private async Task<List<string>> AuditKindsAsync(string tenant)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT kind FROM audit_events WHERE tenant_id = @t AND kind LIKE 'webhook.%'", connection);
        command.Parameters.AddWithValue("t", tenant);
        var kinds = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            kinds.Add(reader.GetString(0));
        }

        return kinds;
    }

    private async Task<int> DecideAsync(string tenant, string verb, string key)
    {
        using var request = RestCalls.Decide(verb, tenant, key, "thread-" + key, "{}");
        using var response = await Server.Rest.SendAsync(request);
        return (int)response.StatusCode;
    }

    private async Task<long> BeginAsync(string tenant, string key)
    {
        var (status, body) = await CallAsync(Server, HttpMethod.Post, "/api/v1/hitl/executions/begin", tenant, new { idempotency_key = key, lease_ttl = "30s" });
        Assert.Equal(200, status);
        var token = body.GetProperty("lease").GetProperty("fencing_token");
        return token.ValueKind == JsonValueKind.String ? long.Parse(token.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : token.GetInt64();
    }
}
