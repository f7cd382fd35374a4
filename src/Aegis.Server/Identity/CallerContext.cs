using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Grpc.Core;

namespace Aegis.Server.Identity;

/// <summary>Gives a gRPC method its caller, the same way whether the call came over gRPC or transcoded REST.</summary>
public sealed class CallerContext(IPrincipalResolver resolver)
{
    /// <summary>The caller, or null for a call without credentials.</summary>
    public ValueTask<Principal?> FindAsync(ServerCallContext context) =>
        resolver.ResolveAsync(context.RequestHeaders, context.CancellationToken);

    /// <summary>The caller; throws <see cref="UnauthenticatedException"/> when none.</summary>
    public async ValueTask<Principal> RequireAsync(ServerCallContext context) =>
        await FindAsync(context) ?? throw new UnauthenticatedException();
}
