using Aegis.Core.Identity;
using Aegis.Server.Identity;
using Grpc.Core;

namespace Aegis.Server.Observability;

/// <summary>
/// Notes the resolved caller's tenant for the request log (on the current HTTP request, when there is one); the
/// resolving itself is <paramref name="inner"/>'s.
/// </summary>
public sealed class ObservedPrincipalResolver(IPrincipalResolver inner, IHttpContextAccessor http) : IPrincipalResolver
{
    /// <inheritdoc />
    public async ValueTask<Principal?> ResolveAsync(Metadata headers, CancellationToken cancellationToken)
    {
        var principal = await inner.ResolveAsync(headers, cancellationToken);
        if (principal is not null && http.HttpContext?.Features.Get<RequestLogFeature>() is { } log)
        {
            log.Tenant = principal.TenantId;
        }

        return principal;
    }
}
