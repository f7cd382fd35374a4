using System.Text.Json;
using Aegis.Core.Exceptions;
using Aegis.Core.Mcp;
using Aegis.Server.Identity;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Aegis.Server.Mcp;

/// <summary>
/// The gating proxy at <c>/mcp/proxy/{upstream}</c>: <c>tools/list</c> is the upstream's (gated tools marked in their
/// description); <c>tools/call</c> of a gated tool goes through <see cref="McpGate"/> (approval, then one forward under
/// the execution lease, the result stored and replayed); any other tool is forwarded at once and audited as
/// <c>mcp.tool_forwarded</c> (not an action, not billed).
/// </summary>
public sealed class McpProxy(McpGate gate, McpUpstreamService upstreams, UpstreamConnector connector, CallerLimits limits)
{
    /// <summary>What a gated tool's description starts with.</summary>
    public const string GatedMarker =
        "[Aegis: requires approval. Each call waits for a reviewer's or policy's decision before it runs, and runs at most once " +
        "per idempotency key: send _meta {\"aegis/idempotency_key\": \"<your key>\"} and reuse it on retries.] ";

    /// <summary>Lists the upstream's tools, gated ones marked.</summary>
    public async ValueTask<ListToolsResult> ListToolsAsync(McpCaller caller, CancellationToken cancellationToken)
    {
        var upstream = Upstream(caller);
        await using var client = await ConnectAsync(upstream, cancellationToken);
        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
        return new ListToolsResult
        {
            Tools = tools.Select(t => Marked(t.ProtocolTool, upstream.Record.IsGated(t.Name))).ToList(),
        };
    }

    /// <summary>Forwards one tool call, through the gate when the tool is gated.</summary>
    public async ValueTask<CallToolResult> CallToolAsync(McpCaller caller, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var upstream = Upstream(caller);
        var parameters = request.Params ?? throw new McpProtocolException("tools/call needs params.", McpErrorCode.InvalidParams);
        var argumentsJson = JsonSerializer.Serialize(parameters.Arguments ?? new Dictionary<string, JsonElement>());
        try
        {
            if (!upstream.Record.IsGated(parameters.Name))
            {
                var direct = await ForwardAsync(upstream, parameters, cancellationToken);
                await upstreams.RecordForwardedAsync(
                    caller.Principal, upstream.Record, parameters.Name, McpGate.ArgumentsHash(argumentsJson), direct.IsError == true, CancellationToken.None);
                return direct;
            }

            var call = new McpToolCall(
                parameters.Name, argumentsJson, MetaString(parameters, McpGate.IdempotencyKeyMeta), MetaString(parameters, McpGate.ThreadIdMeta),
                request.JsonRpcRequest.Id.ToString());
            // A gated call may wait long: it holds one of the tenant's watch slots, like any other watch.
            using var watchSlot = limits.WatchStreams.Acquire(caller.Principal.TenantId);
            var progress = new ProgressRelay(request.Server, parameters.ProgressToken, cancellationToken);
            var resultJson = await gate.CallAsync(
                caller.Principal,
                upstream.Record,
                call,
                async ct => JsonSerializer.Serialize(await ForwardAsync(upstream, parameters, ct), McpJsonUtilities.DefaultOptions),
                progress,
                cancellationToken);
            return JsonSerializer.Deserialize<CallToolResult>(resultJson, McpJsonUtilities.DefaultOptions)
                ?? throw new InvalidOperationException("The stored result is not a tool result.");
        }
        catch (AegisException ex)
        {
            return McpToolResults.Error(ex);
        }
        catch (HttpRequestException ex)
        {
            // Only an ungated call gets here (the gate turns a failed forward into its own error).
            return McpToolResults.Error(new ToolCallRefusedException("UPSTREAM_UNREACHABLE", $"The upstream call failed: {ex.Message}", true, Guid.Empty));
        }
    }

    private async Task<CallToolResult> ForwardAsync(McpUpstream upstream, CallToolRequestParams parameters, CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(upstream, cancellationToken);
        return await client.CallToolAsync(new CallToolRequestParams { Name = parameters.Name, Arguments = parameters.Arguments }, cancellationToken);
    }

    private Task<McpClient> ConnectAsync(McpUpstream upstream, CancellationToken cancellationToken) => connector.ConnectAsync(upstream, cancellationToken);

    private static McpUpstream Upstream(McpCaller caller) =>
        caller.Upstream ?? throw new InvalidOperationException("A proxy request without its upstream.");

    private static Tool Marked(Tool tool, bool gated)
    {
        if (!gated)
        {
            return tool;
        }

        var copy = JsonSerializer.Deserialize<Tool>(JsonSerializer.Serialize(tool, McpJsonUtilities.DefaultOptions), McpJsonUtilities.DefaultOptions)!;
        copy.Description = GatedMarker + tool.Description;
        return copy;
    }

    private static string? MetaString(CallToolRequestParams parameters, string name) =>
        parameters.Meta?[name] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
