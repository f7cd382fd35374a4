using Aegis.Core.Webhooks;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Aegis.Server.Tests.Webhooks.WebhookFixture;

namespace Aegis.Server.Tests.Webhooks;

/// <summary>
/// The address policy on a replica with the default configuration (no private address allowed): refused at
/// registration — nothing stored — and again at connect time, for a host name that resolves to loopback.
/// </summary>
public sealed class WebhookAddressPolicyTests : IAsyncLifetime
{
    private string _db = "";
    private AegisServer? _strict;

    private AegisServer Strict => _strict!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _db = await TestEnvironment.CreateDatabaseAsync();
        _strict = await AegisServer.StartPostgresAsync(_db, Settings(allowLoopback: false));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Strict.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(_db));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost:9/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.16.0.1/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("http://user:pw@example.com/hook")]
    [InlineData("not a url")]
    public async Task A_private_metadata_or_non_http_url_is_refused_and_nothing_is_stored(string url)
    {
        var (status, body) = await CallAsync(Strict, HttpMethod.Post, "/api/v1/webhooks", "ssrf", new { url });

        Assert.Equal(400, status);
        Assert.Equal("WEBHOOK_URL_REFUSED", body.GetProperty("reason").GetString());
        Assert.Equal(0L, await Db.ScalarAsync<long>(_db, "SELECT count(*) FROM webhook_endpoints"));
    }

    [Fact]
    public async Task A_host_that_resolves_to_a_private_address_at_connect_time_is_refused()
    {
        // An endpoint whose name resolved to a public address when it was registered and to loopback now (DNS
        // rebinding): stored directly, as registration would have let it through.
        await using var receiver = await WebhookReceiver.StartAsync();
        var secrets = Strict.Services.GetRequiredService<WebhookSecrets>();
        var endpointId = Guid.CreateVersion7();
        await Db.ScalarAsync<int>(
            _db,
            "INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, flavour, include_payload, enabled, description, secret_sealed, created_at, updated_at) "
            + "VALUES (@id, 'rebind', @url, '|action.pending|', 'GENERIC', false, true, '', @secret, now(), now()) RETURNING 1",
            ("id", endpointId),
            ("url", $"http://localhost:{receiver.Port}/hook"),
            ("secret", await secrets.SealAsync(WebhookSecrets.Generate(), CancellationToken.None)));
        await RequestAsync(Strict, "rebind", "k-rebind");

        await Strict.Services.GetRequiredService<WebhookRelay>().RunOnceAsync(CancellationToken.None);

        Assert.Empty(receiver.Received);
        var (status, log) = await CallAsync(Strict, HttpMethod.Get, $"/api/v1/webhooks/{endpointId}/deliveries", "rebind");
        Assert.Equal(200, status);
        var attempt = log.GetProperty("deliveries")[0].GetProperty("log")[0];
        Assert.StartsWith("address refused", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, attempt.GetProperty("status_code").GetInt32());
    }
}
