using System.Net;
using System.Text;
using System.Text.Json;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Gate;

/// <summary>The REST NDJSON watch keeps payloads exact, as the unary REST responses do.</summary>
public sealed class RestWatchExactPayloadTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Every_watch_line_carries_the_payload_with_every_digit()
    {
        var rest = fixture.Server.Rest;
        var key = "exact-" + Guid.NewGuid();
        var body = JsonSerializer.Serialize(new { idempotency_key = key, thread_id = "t", payload_json = "{\"amount\":12345678901234567890}" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hitl/requests") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Tenant-Id", "acme");
        using var created = await rest.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await RestCalls.JsonAsync(created)).GetProperty("request_id").GetString()!;

        using var watch = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/hitl/watch/{id}");
        watch.Headers.Add("Tenant-Id", "acme");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await rest.SendAsync(watch, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        var snapshot = await reader.ReadLineAsync(timeout.Token);
        using (var approve = await rest.SendAsync(RestCalls.Decide("approve", "acme", key, "t", "{}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        string? transition;
        do
        {
            transition = await reader.ReadLineAsync(timeout.Token);
        }
        while (transition is not null && transition.Contains("HEARTBEAT"));

        foreach (var line in new[] { snapshot, transition })
        {
            Assert.NotNull(line);
            Assert.Contains("\"payload\":{\"amount\":12345678901234567890}", line);
            Assert.DoesNotContain("payload_json", line);
        }

        Assert.Contains("ACTION_STATE_APPROVED", transition);
    }
}
