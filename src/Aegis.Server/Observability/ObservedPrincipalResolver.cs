using Aegis.Core.Identity;
using Aegis.Server.Identity;

namespace Aegis.Server.Observability;

/// <summary>Notes the resolved caller's tenant for the request log; the resolving itself is <paramref name="inner"/>'s.</summary>
public sealed class ObservedPrincipalResolver(IPrincipalResolver inner) : IPrincipalResolver
{
    /// <inheritdoc />
    public async ValueTask<Principal?> ResolveAsync(HttpContext httpContext, CancellationToken cancellationToken)
    {
        var principal = await inner.ResolveAsync(httpContext, cancellationToken);
        if (principal is not null && httpContext.Features.Get<RequestLogFeature>() is { } log)
        {
            log.Tenant = principal.TenantId;
        }

        return principal;
    }
}
