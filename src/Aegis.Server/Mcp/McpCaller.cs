using Aegis.Core.Identity;
using Aegis.Core.Mcp;

namespace Aegis.Server.Mcp;

/// <summary>Who is calling an MCP endpoint, resolved once per HTTP request by <see cref="McpAuthMiddleware"/>.</summary>
/// <param name="Principal">The caller (API key or, in trusted mode, the <c>Tenant-Id</c> header).</param>
/// <param name="Upstream">For <c>/mcp/proxy/{upstream}</c>: the caller's tenant's upstream of that name.</param>
public sealed record McpCaller(Principal Principal, McpUpstream? Upstream)
{
    /// <summary>The caller of the current request; throws when the request did not pass the middleware.</summary>
    public static McpCaller Of(HttpContext? context) =>
        context?.Features.Get<McpCaller>() ?? throw new InvalidOperationException("The MCP request has no resolved caller.");
}
