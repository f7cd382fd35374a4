namespace Aegis.Core.Mcp;

/// <summary>One <c>tools/call</c> an agent sent through the proxy.</summary>
/// <param name="Tool">The tool's name.</param>
/// <param name="ArgumentsJson">The arguments as a JSON object (exact text as received); null for none.</param>
/// <param name="IdempotencyKey">The client's key (<c>_meta["aegis/idempotency_key"]</c>), or null to derive one.</param>
/// <param name="ThreadId">The agent's thread (<c>_meta["aegis/thread_id"]</c>), or null for <c>mcp:{server}</c>.</param>
/// <param name="McpRequestId">The JSON-RPC id of the call, from which a key is derived when none is given.</param>
public sealed record McpToolCall(string Tool, string? ArgumentsJson, string? IdempotencyKey, string? ThreadId, string McpRequestId);
