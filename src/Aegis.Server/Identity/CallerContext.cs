using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Watching;
using Grpc.Core;

namespace Aegis.Server.Identity;

/// <summary>
/// Gives a gRPC method its caller, the same way whether the call came over gRPC or transcoded REST, and holds the
/// caller's tenant to its limits: a unary call takes a slot of the tenant's in-flight calls for as long as the request
/// lasts; a watch takes a slot of its open streams (<see cref="OpenStreamAsync"/>).
/// </summary>
public sealed class CallerContext(IPrincipalResolver resolver, CallerLimits limits, WatchSettings watchSettings, TimeProvider time)
{
    /// <summary>The caller of a unary call, or null for a call without credentials.</summary>
    /// <exception cref="ResourceLimitExceededException">The tenant has its maximum of calls in flight.</exception>
    public async ValueTask<Principal?> FindAsync(ServerCallContext context)
    {
        var principal = await resolver.ResolveAsync(context.RequestHeaders, context.CancellationToken);
        if (principal is not null)
        {
            HoldUntilTheRequestEnds(context, limits.InFlightCalls.Acquire(principal.TenantId));
        }

        return principal;
    }

    /// <summary>The caller of a unary call; throws <see cref="UnauthenticatedException"/> when none.</summary>
    public async ValueTask<Principal> RequireAsync(ServerCallContext context) =>
        await FindAsync(context) ?? throw new UnauthenticatedException();

    /// <summary>The caller of a watch stream, holding one of its tenant's stream slots until disposed.</summary>
    /// <exception cref="UnauthenticatedException">No credentials.</exception>
    /// <exception cref="ResourceLimitExceededException">The tenant has its maximum of streams open.</exception>
    public async ValueTask<WatchSession> OpenStreamAsync(ServerCallContext context)
    {
        var principal = await resolver.ResolveAsync(context.RequestHeaders, context.CancellationToken) ?? throw new UnauthenticatedException();
        return new WatchSession(principal, limits.WatchStreams.Acquire(principal.TenantId), resolver, context, watchSettings, time);
    }

    // The slot is given back when the HTTP request ends, however it ends; a call without one (a handler unit test)
    // has no request to outlive, so the slot is given back at once.
    private static void HoldUntilTheRequestEnds(ServerCallContext context, IDisposable slot)
    {
        HttpContext http;
        try
        {
            http = context.GetHttpContext();
        }
        catch (InvalidOperationException)
        {
            slot.Dispose();
            return;
        }

        http.Response.RegisterForDispose(slot);
    }
}
