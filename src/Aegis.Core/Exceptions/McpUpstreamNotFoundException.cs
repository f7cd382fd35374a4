namespace Aegis.Core.Exceptions;

/// <summary>No upstream of that name in the caller's tenant (another tenant's is reported the same). Maps to NOT_FOUND.</summary>
public sealed class McpUpstreamNotFoundException(string name)
    : AegisException("MCP_UPSTREAM_NOT_FOUND", $"No upstream MCP server named '{name}' is registered.");
