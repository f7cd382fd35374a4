namespace Aegis.Core.Mcp;

/// <summary>Bounds of the MCP gate.</summary>
/// <param name="DefaultDecisionTimeout">An upstream's decision timeout when its admin set none.</param>
/// <param name="MaxCallWait">
/// The longest one MCP call waits for a decision or for another caller's execution; past it the call ends with the
/// retryable <c>DECISION_PENDING</c> error and the same call (same key) later picks up where it left.
/// </param>
public sealed record McpGateSettings(TimeSpan DefaultDecisionTimeout, TimeSpan MaxCallWait)
{
    /// <summary>One hour to decide; a call waits at most ten minutes.</summary>
    public static McpGateSettings Default { get; } = new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(10));
}
