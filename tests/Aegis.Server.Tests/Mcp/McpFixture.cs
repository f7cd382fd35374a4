using System.Net;
using System.Text.Json;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Mcp;

/// <summary>A fresh PostgreSQL database, one Aegis replica over it (signups unthrottled), and a test upstream MCP server on loopback.</summary>
public sealed class McpFixture : IAsyncLifetime
{
    private static readonly string[] GatedTools = ["send_email"];
    private AegisServer? _server;
    private UpstreamMcpServer? _upstream;

    /// <summary>The replica.</summary>
    public AegisServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>The upstream.</summary>
    public UpstreamMcpServer Upstream => _upstream ?? throw new InvalidOperationException("Not started.");

    /// <summary>Connection string of the fixture's database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A signed-up tenant with agent and reviewer keys, and the upstream registered as <c>mail</c> with <c>send_email</c> gated.</summary>
    public async Task<ProxyTenant> NewTenantAsync(AegisServer? server = null)
    {
        server ??= Server;
        var tenant = await AccountCalls.SignupAsync(server.Rest);
        var (agentKey, _) = await AccountCalls.CreateKeyAsync(server.Rest, tenant.AdminKey, "API_KEY_ROLE_AGENT");
        var (reviewerKey, reviewerKeyId) = await AccountCalls.CreateKeyAsync(server.Rest, tenant.AdminKey, "API_KEY_ROLE_REVIEWER");
        using var response = await RegisterAsync(server, tenant.AdminKey, "mail");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"register: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return new ProxyTenant(tenant.TenantId, tenant.AdminKey, agentKey, reviewerKey, reviewerKeyId);
    }

    /// <summary>Registers the test upstream under <paramref name="name"/> with <paramref name="key"/>.</summary>
    public async Task<HttpResponseMessage> RegisterAsync(AegisServer server, string key, string name)
    {
        var body = JsonSerializer.Serialize(new
        {
            name,
            url = Upstream.Endpoint.ToString(),
            auth_header = UpstreamMcpServer.AuthHeader,
            gated_tools = GatedTools,
            decision_timeout = "600s",
        });
        using var request = AccountCalls.Bearer(HttpMethod.Post, "/api/v1/mcp/upstreams", key, body);
        return await server.Rest.SendAsync(request);
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _upstream = await UpstreamMcpServer.StartAsync();
        ConnectionString = await TestEnvironment.CreateDatabaseAsync();
        _server = await StartReplicaAsync();
    }

    /// <summary>Starts another replica over the fixture's database (the caller disposes it).</summary>
    public Task<AegisServer> StartReplicaAsync() =>
        AegisServer.StartPostgresAsync(ConnectionString, new Dictionary<string, string?> { ["Aegis:Signup:PermitLimit"] = "1000" });

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }

        Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(ConnectionString));
    }
}
