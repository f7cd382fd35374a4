using Aegis.Core.Exceptions;
using Aegis.Core.Identity;

namespace Aegis.Server.Identity;

/// <summary>
/// Resolves the caller. API keys (<c>Authorization: Bearer sk_live_…</c>) come first when a key store is present;
/// the <c>Tenant-Id</c> header is honoured only in trusted mode, and then acts with every role.
/// </summary>
public sealed class HeaderPrincipalResolver(TrustedHeaderMode trusted) : IPrincipalResolver
{
    /// <summary>Principal id recorded for calls identified by the trusted header.</summary>
    public const string TrustedHeaderPrincipalId = "tenant-header";

    /// <inheritdoc />
    public ValueTask<Principal?> ResolveAsync(HttpContext httpContext, CancellationToken cancellationToken)
    {
        var headers = httpContext.Request.Headers;
        if (headers.Authorization.Count > 0)
        {
            // API keys arrive with the accounts issue; until then a bearer token cannot be verified.
            throw new UnauthenticatedException("API keys are not enabled on this server.");
        }

        var tenant = headers["Tenant-Id"].ToString();
        if (tenant.Length == 0)
        {
            return ValueTask.FromResult<Principal?>(null);
        }

        if (!trusted.Enabled)
        {
            throw new UnauthenticatedException("The Tenant-Id header is not trusted by this server; send an API key.");
        }

        return ValueTask.FromResult<Principal?>(new Principal(TenantIds.Validate(tenant), TrustedHeaderPrincipalId, Roles.All));
    }
}
