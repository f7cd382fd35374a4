using Aegis.Core.Mcp;

namespace Aegis.Core.Ports;

/// <summary>Storage of registered upstream MCP servers, and of audit events that concern no action.</summary>
public interface IMcpUpstreamStore
{
    /// <summary>Inserts the upstream with its audit event in one transaction; false when the tenant already has the name.</summary>
    Task<bool> InsertAsync(McpUpstreamRecord upstream, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The tenant's upstream named <paramref name="name"/>, or null.</summary>
    Task<McpUpstreamRecord?> FindAsync(string tenantId, string name, CancellationToken cancellationToken);

    /// <summary>The tenant's upstreams, by name.</summary>
    Task<IReadOnlyList<McpUpstreamRecord>> ListAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Writes one audit event of the tenant that concerns no action (e.g. an ungated tool call forwarded).</summary>
    Task RecordAsync(string tenantId, AuditEntry audit, CancellationToken cancellationToken);
}
