using System.Net;
using System.Text;
using System.Text.Json;
using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Mcp;

/// <summary>The gating proxy on the embedded default: SQLite, trusted <c>Tenant-Id</c>, the key ring in the SQLite file.</summary>
public sealed class McpSqliteTests : IAsyncLifetime
{
    private static readonly string[] AllTools = ["*"];
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "aegis-mcp-" + Guid.NewGuid().ToString("N"));
    private UpstreamMcpServer? _upstream;

    [Fact]
    public async Task Embedded_server_gates_a_call_once_and_replays_it_after_a_restart()
    {
        var upstream = _upstream!;
        var headers = new Dictionary<string, string> { ["Tenant-Id"] = "acme" };
        var args = new Dictionary<string, object?> { ["to"] = "sqlite@example.com", ["body"] = "hi" };
        string first;
        await using (var server = await AegisServer.StartSqliteAsync(_dataDir))
        {
            var register = JsonSerializer.Serialize(new
            {
                name = "mail", url = upstream.Endpoint.ToString(), auth_header = UpstreamMcpServer.AuthHeader, gated_tools = AllTools,
            });
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/mcp/upstreams") { Content = new StringContent(register, Encoding.UTF8, "application/json") };
            request.Headers.Add("Tenant-Id", "acme");
            using var registered = await server.Rest.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);

            await using var agent = await McpCalls.ConnectAsync(server, "/mcp/proxy/mail", headers);
            var waiting = new TaskCompletionSource();
            var call = McpCalls.CallAsync(agent, "send_email", args, "sqlite-1", new SyncProgress(_ => waiting.TrySetResult()));
            await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
            using var approve = RestCalls.Decide(
                "approve", "acme", "sqlite-1", "t", JsonSerializer.Serialize(new { server = "mail", tool = "send_email", arguments = args }));
            using var approved = await server.Rest.SendAsync(approve);
            Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);
            first = McpCalls.Text(await call.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        await using var restarted = await AegisServer.StartSqliteAsync(_dataDir);
        await using var again = await McpCalls.ConnectAsync(restarted, "/mcp/proxy/mail", headers);
        var retried = await McpCalls.CallAsync(again, "send_email", args, "sqlite-1");

        Assert.Equal("sent #1 to sqlite@example.com: hi", first);
        Assert.Equal(first, McpCalls.Text(retried));
        Assert.Equal(1, upstream.Calls.Count("send_email", "sqlite@example.com"));
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => _upstream = await UpstreamMcpServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }
}
