namespace Aegis.Server.Tests.Mcp;

/// <summary>A tenant set up for the proxy tests.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="AdminKey">Its admin key.</param>
/// <param name="AgentKey">An agent key.</param>
/// <param name="ReviewerKey">A reviewer key.</param>
/// <param name="ReviewerKeyId">The reviewer key's id (the principal recorded on its decisions).</param>
public sealed record ProxyTenant(string TenantId, string AdminKey, string AgentKey, string ReviewerKey, string ReviewerKeyId);
