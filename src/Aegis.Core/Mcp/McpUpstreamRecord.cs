namespace Aegis.Core.Mcp;

/// <summary>An upstream MCP server a tenant's admin registered, as stored. The auth header is stored protected only.</summary>
public sealed record McpUpstreamRecord
{
    /// <summary>The registration's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The owning tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The name agents use: <c>/mcp/proxy/{name}</c>, unique within the tenant.</summary>
    public required string Name { get; init; }

    /// <summary>The upstream's streamable HTTP endpoint.</summary>
    public required Uri Url { get; init; }

    /// <summary>The <c>Authorization</c> header sent upstream, encrypted (<see cref="Ports.ISecretProtector"/>); null: none.</summary>
    public string? ProtectedAuthHeader { get; init; }

    /// <summary>The tools whose calls need a decision; <c>*</c> gates every tool.</summary>
    public required IReadOnlyList<string> GatedTools { get; init; }

    /// <summary>How long a gated call's action waits for a decision before it expires (rejected).</summary>
    public required TimeSpan DecisionTimeout { get; init; }

    /// <summary>When the upstream was registered.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who registered it (a principal id).</summary>
    public required string CreatedBy { get; init; }

    /// <summary>Whether a call of <paramref name="tool"/> must be decided before it is forwarded.</summary>
    public bool IsGated(string tool) => GatedTools.Contains(McpUpstreamService.AllTools) || GatedTools.Contains(tool);
}
