namespace Aegis.Core.Mcp;

/// <summary>Bounds of the MCP gate.</summary>
/// <param name="DefaultDecisionTimeout">An upstream's decision timeout when its admin set none.</param>
/// <param name="MaxCallWait">
/// The longest one MCP call waits for a decision or for another caller's execution; past it the call ends with the
/// retryable <c>DECISION_PENDING</c> error and the same call (same key) later picks up where it left.
/// </param>
public sealed record McpGateSettings(TimeSpan DefaultDecisionTimeout, TimeSpan MaxCallWait)
{
    /// <summary>One hour to decide; a call waits at most ten minutes; any upstream host.</summary>
    public static McpGateSettings Default { get; } = new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(10));

    /// <summary>
    /// The host names (or IP literals) an upstream URL may name, compared case-insensitively; empty: any. A hosted,
    /// multi-tenant Aegis sets it so that a tenant admin cannot point the proxy at the operator's internal network.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Whether an upstream at <paramref name="url"/> may be registered and called.</summary>
    public bool Allows(Uri url) => AllowedHosts.Count == 0 || AllowedHosts.Contains(url.Host, StringComparer.OrdinalIgnoreCase);
}
