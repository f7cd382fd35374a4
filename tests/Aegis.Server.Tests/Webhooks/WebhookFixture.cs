using System.Net.Http.Json;
using System.Text.Json;
using Aegis.Core.Webhooks;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Aegis.Server.Tests.Webhooks;

/// <summary>
/// A fresh PostgreSQL database and one replica whose clock is a <see cref="FakeTimeProvider"/> and whose address
/// policy allows loopback (127.0.0.0/8 only), with short backoffs: tests run relay rounds themselves and move the
/// clock past each backoff, never sleeping.
/// </summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    /// <summary>The server key all replicas of the test share.</summary>
    public static readonly string ServerKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private AegisServer? _server;

    /// <summary>The replicas' clock.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The replica.</summary>
    public AegisServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>Connection string of the database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The settings every replica of the fixture starts with.</summary>
    public static Dictionary<string, string?> Settings(bool allowLoopback)
    {
        var settings = BaseSettings();
        if (allowLoopback)
        {
            settings["Aegis:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8";
        }

        return settings;
    }

    private static Dictionary<string, string?> BaseSettings() => new()
    {
        ["Aegis:Webhooks:ServerKey"] = ServerKey,
        ["Aegis:Webhooks:InitialBackoffSeconds"] = "1",
        ["Aegis:Webhooks:MaxBackoffSeconds"] = "8",
        // Tests run relay rounds themselves, so each round's attempts are known.
        ["Aegis:Webhooks:RelayEnabled"] = "false",
        ["Aegis:Links:BaseUrl"] = "http://aegis.test",
    };

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        ConnectionString = await TestEnvironment.CreateDatabaseAsync();
        _server = await StartReplicaAsync(allowLoopback: true);
    }

    /// <summary>Another replica over the same database and clock.</summary>
    public Task<AegisServer> StartReplicaAsync(bool allowLoopback) =>
        AegisServer.StartPostgresAsync(ConnectionString, Settings(allowLoopback), s => s.AddSingleton<TimeProvider>(Time));

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(ConnectionString));
    }

    /// <summary>Registers an endpoint through REST; returns its id and secret.</summary>
    public static async Task<(string Id, string Secret)> RegisterAsync(AegisServer server, string tenant, string url, string flavour = "WEBHOOK_FLAVOUR_GENERIC", string[]? types = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks")
        {
            Content = JsonContent.Create(new Dictionary<string, object> { ["url"] = url, ["flavour"] = flavour, ["event_types"] = types ?? [] }),
        };
        request.Headers.Add("Tenant-Id", tenant);
        using var response = await server.Rest.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty("webhook").GetProperty("endpoint_id").GetString()!, doc.RootElement.GetProperty("secret").GetString()!);
    }

    /// <summary>A REST call with the tenant header and an optional JSON body; returns status and parsed body.</summary>
    public static async Task<(int Status, JsonElement Body)> CallAsync(AegisServer server, HttpMethod method, string path, string tenant, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Tenant-Id", tenant);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await server.Rest.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Creates a PENDING action through RequestApproval; returns its request id.</summary>
    public static async Task<string> RequestAsync(AegisServer server, string tenant, string key, string payloadJson = "{\"amount\":12345678901234567890}", string? timeout = null)
    {
        var body = new Dictionary<string, object> { ["idempotency_key"] = key, ["thread_id"] = "thread-" + key, ["payload_json"] = payloadJson, ["comment_for_reviewer"] = "please check" };
        if (timeout is not null)
        {
            body["timeout"] = timeout;
        }

        var (status, json) = await CallAsync(server, HttpMethod.Post, "/api/v1/hitl/requests", tenant, body);
        Assert.True(status is 200 or 202, json.ToString());
        return json.GetProperty("request_id").GetString()!;
    }

    /// <summary>Runs relay rounds of <paramref name="relay"/> until one finds nothing due.</summary>
    public static async Task DrainAsync(WebhookRelay relay)
    {
        for (var i = 0; i < 50 && await relay.RunOnceAsync(CancellationToken.None) > 0; i++)
        {
        }
    }
}
