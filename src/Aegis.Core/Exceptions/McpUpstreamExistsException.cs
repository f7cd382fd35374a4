namespace Aegis.Core.Exceptions;

/// <summary>The tenant already has an upstream with that name. Maps to ALREADY_EXISTS (HTTP 409); nothing changed.</summary>
public sealed class McpUpstreamExistsException(string name)
    : AegisException("MCP_UPSTREAM_EXISTS", $"An upstream named '{name}' is already registered.");
