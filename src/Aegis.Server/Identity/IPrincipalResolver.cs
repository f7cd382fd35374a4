using Aegis.Core.Identity;

namespace Aegis.Server.Identity;

/// <summary>Establishes who is calling from the request's headers (REST) or metadata (gRPC), which are the same HTTP headers.</summary>
public interface IPrincipalResolver
{
    /// <summary>The caller, or null when the request carries no credentials at all.</summary>
    /// <exception cref="Aegis.Core.Exceptions.UnauthenticatedException">Credentials were sent but are not valid.</exception>
    ValueTask<Principal?> ResolveAsync(HttpContext httpContext, CancellationToken cancellationToken);
}
