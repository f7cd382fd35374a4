namespace Aegis.Core.Mcp;

/// <summary>An admin's request to put Aegis in front of an upstream MCP server.</summary>
/// <param name="Name">The name agents use in <c>/mcp/proxy/{name}</c>.</param>
/// <param name="Url">The upstream's streamable HTTP endpoint (absolute http or https).</param>
/// <param name="AuthHeader">The <c>Authorization</c> header value to send upstream; null or empty for none.</param>
/// <param name="GatedTools">The tools whose calls need a decision (<c>*</c>: all).</param>
/// <param name="DecisionTimeout">How long a gated call waits for a decision; null for the server's default.</param>
public sealed record RegisterUpstreamCommand(
    string? Name, string? Url, string? AuthHeader, IReadOnlyList<string> GatedTools, TimeSpan? DecisionTimeout);
