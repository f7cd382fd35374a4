using Aegis.Core.Mcp;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Aegis.Server.Mcp;

/// <summary>Opens an MCP client session to a registered upstream (streamable HTTP, its auth header added).</summary>
public sealed class UpstreamConnector(IHttpClientFactory httpClients, ILoggerFactory loggers)
{
    /// <summary>The named <see cref="HttpClient"/> every upstream session uses (one connection pool).</summary>
    public const string HttpClientName = "mcp-upstream";

    /// <summary>A connected client; the caller disposes it.</summary>
    public async Task<McpClient> ConnectAsync(McpUpstream upstream, CancellationToken cancellationToken)
    {
        var options = new HttpClientTransportOptions
        {
            Endpoint = upstream.Record.Url,
            TransportMode = HttpTransportMode.StreamableHttp,
            Name = $"aegis-upstream-{upstream.Record.Name}",
            // Proxied calls are single requests; the proxy does not listen for unsolicited upstream messages.
            EnableStandaloneGetStream = false,
        };
        if (upstream.AuthHeader is { } auth)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = auth };
        }

        var transport = new HttpClientTransport(options, httpClients.CreateClient(HttpClientName), loggers, ownsHttpClient: false);
        return await McpClient.CreateAsync(
            transport, new McpClientOptions { ClientInfo = new Implementation { Name = "aegis-proxy", Version = "1.0" } }, loggers, cancellationToken);
    }
}
