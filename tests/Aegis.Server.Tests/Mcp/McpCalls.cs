using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aegis.Server.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Aegis.Server.Tests.Mcp;

/// <summary>MCP client calls as an agent makes them, with the SDK's client over streamable HTTP.</summary>
public static class McpCalls
{
    /// <summary>A client of <paramref name="path"/> on the server's REST port, authenticated with <paramref name="apiKey"/>.</summary>
    public static Task<McpClient> ConnectAsync(AegisServer server, string path, string apiKey) =>
        ConnectAsync(server, path, new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey });

    /// <summary>A client of <paramref name="path"/> on the server's REST port, sending <paramref name="headers"/> (e.g. a trusted <c>Tenant-Id</c>).</summary>
    public static async Task<McpClient> ConnectAsync(AegisServer server, string path, Dictionary<string, string> headers)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{server.RestPort}{path}"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        });
        return await McpClient.CreateAsync(transport);
    }

    /// <summary>Calls <paramref name="tool"/> with <paramref name="arguments"/>, the idempotency key in <c>_meta</c> when given.</summary>
    public static Task<CallToolResult> CallAsync(
        McpClient client, string tool, IReadOnlyDictionary<string, object?> arguments, string? idempotencyKey = null, IProgress<ProgressNotificationValue>? progress = null) =>
        client.CallToolAsync(
            tool,
            arguments,
            progress,
            new RequestOptions { Meta = idempotencyKey is null ? null : new JsonObject { ["aegis/idempotency_key"] = idempotencyKey } }).AsTask();

    /// <summary>The JSON object a tool answered (its structured content).</summary>
    public static JsonElement Body(CallToolResult result) =>
        result.StructuredContent ?? JsonDocument.Parse(Text(result)).RootElement;

    /// <summary>The JSON object of a successful result; fails the test on a tool error.</summary>
    public static JsonElement Ok(CallToolResult result)
    {
        Assert.True(result.IsError != true, $"tool error: {Text(result)}");
        return Body(result);
    }

    /// <summary>The first text block of a result.</summary>
    public static string Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().First().Text;

    /// <summary>The reason of a tool error; fails the test when the result is not an error.</summary>
    public static string ErrorReason(CallToolResult result)
    {
        Assert.True(result.IsError, $"expected a tool error, got {Text(result)}");
        return Body(result).GetProperty("error").GetProperty("reason").GetString()!;
    }

    /// <summary>Approves (or rejects) the action with <paramref name="idempotencyKey"/> over REST as a reviewer would.</summary>
    public static async Task DecideOverRestAsync(AegisServer server, string reviewerKey, string verb, string idempotencyKey, string payloadJson, string query = "")
    {
        using var request = AccountCalls.Decide(verb, reviewerKey, idempotencyKey, payloadJson);
        request.RequestUri = new Uri(request.RequestUri!.OriginalString + query, UriKind.Relative);
        using var response = await server.Rest.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{verb}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
