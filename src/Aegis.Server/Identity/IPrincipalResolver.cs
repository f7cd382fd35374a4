using Aegis.Core.Identity;
using Grpc.Core;

namespace Aegis.Server.Identity;

/// <summary>Establishes who is calling from the call's metadata: the gRPC metadata, or a transcoded REST call's HTTP headers.</summary>
public interface IPrincipalResolver
{
    /// <summary>The caller, or null when the request carries no credentials at all.</summary>
    /// <exception cref="Aegis.Core.Exceptions.UnauthenticatedException">Credentials were sent but are not valid.</exception>
    ValueTask<Principal?> ResolveAsync(Metadata headers, CancellationToken cancellationToken);
}
