using Aegis.Core.Links;
using Aegis.Core.Webhooks;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Aegis.Server.Tests.Webhooks.WebhookFixture;

namespace Aegis.Server.Tests.Webhooks;

/// <summary>
/// The embedded backend keeps the webhook contract: outbox rows from the grouped insert and from transitions,
/// signed deliveries, and single-use links — with a server key generated once and kept in the database.
/// </summary>
public sealed class SqliteWebhookTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "aegis-wh-" + Guid.NewGuid().ToString("N"));
    private AegisServer _server = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var settings = Settings(allowLoopback: true);
        settings.Remove("Aegis:Webhooks:ServerKey");
        _server = await AegisServer.StartSqliteAsync(_dataDir, settings);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Events_are_delivered_signed_and_a_link_decides_once_on_SQLite()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, secret) = await RegisterAsync(_server, "acme", receiver.Url, types: ["action.pending", "action.decided"]);
        var requestId = await RequestAsync(_server, "acme", "k-sqlite");

        var (status, minted) = await CallAsync(_server, HttpMethod.Post, "/api/v1/webhooks/links", "acme", new { request_id = requestId, decision = "DECISION_OUTCOME_REJECT" });
        Assert.Equal(200, status);
        var path = minted.GetProperty("path").GetString()!;
        using (var first = await _server.Rest.PostAsync(path, new FormUrlEncodedContent([])))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, first.StatusCode);
        }

        using (var second = await _server.Rest.PostAsync(path, new FormUrlEncodedContent([])))
        {
            Assert.Equal(System.Net.HttpStatusCode.Conflict, second.StatusCode);
        }

        await DrainAsync(_server.Services.GetRequiredService<WebhookRelay>());

        Assert.Equal(["action.decided", "action.pending"], receiver.Received.Select(r => r.EventType).Order());
        Assert.All(receiver.Received, r => Assert.True(WebhookSignature.Verify(secret, r.Signature, r.Body)));
        Assert.Contains("\"outcome\":\"DECISION_OUTCOME_REJECT\"", receiver.Received.Single(r => r.EventType == "action.decided").Body, StringComparison.Ordinal);
        Assert.StartsWith(DecisionLinks.PathPrefix, path, StringComparison.Ordinal);
    }
}
