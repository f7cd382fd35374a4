namespace Aegis.Storage.Entities;

/// <summary>A registered upstream MCP server. The auth header is stored encrypted (ASP.NET Core Data Protection).</summary>
public sealed class McpUpstreamEntity
{
    /// <summary>The registration's id.</summary>
    public Guid Id { get; set; }

    /// <summary>Owning tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The name agents use in <c>/mcp/proxy/{name}</c>; unique per tenant.</summary>
    public string Name { get; set; } = "";

    /// <summary>The upstream's endpoint.</summary>
    public string Url { get; set; } = "";

    /// <summary>The protected <c>Authorization</c> header, or null.</summary>
    public string? AuthHeaderProtected { get; set; }

    /// <summary>The gated tools, as a JSON array of names.</summary>
    public string GatedTools { get; set; } = "[]";

    /// <summary>Decision timeout of a gated call's action, in seconds.</summary>
    public long DecisionTimeoutSeconds { get; set; }

    /// <summary>When it was registered.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who registered it.</summary>
    public string CreatedBy { get; set; } = "";
}
