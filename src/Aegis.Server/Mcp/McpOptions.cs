using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Mcp;

/// <summary>The <c>Aegis:Mcp</c> section: bounds of the MCP server and gating proxy.</summary>
public sealed class McpOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Aegis:Mcp";

    /// <summary>An upstream's decision timeout when its admin set none, in seconds (default one hour).</summary>
    [Range(1, 30 * 24 * 3600)]
    public int DefaultDecisionTimeoutSeconds { get; set; } = 3600;

    /// <summary>
    /// The longest one proxied call waits for a decision or for another call's execution, in seconds (default ten
    /// minutes); then it ends with the retryable <c>DECISION_PENDING</c> tool error and a call with the same key resumes.
    /// </summary>
    [Range(1, 24 * 3600)]
    public int MaxCallWaitSeconds { get; set; } = 600;

    /// <summary>
    /// The hosts upstream MCP servers may be registered at (e.g. <c>Aegis__Mcp__AllowedHosts__0=mcp.example.com</c>);
    /// empty (the default): any. Set it on a shared deployment so that tenant admins cannot aim the proxy at internal
    /// addresses.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
