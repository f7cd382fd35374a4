namespace Aegis.Core.Mcp;

/// <summary>A registered upstream ready to be called: its record and the auth header in clear, for this call only.</summary>
/// <param name="Record">The stored registration.</param>
/// <param name="AuthHeader">The <c>Authorization</c> header value to send upstream, or null.</param>
public sealed record McpUpstream(McpUpstreamRecord Record, string? AuthHeader);
