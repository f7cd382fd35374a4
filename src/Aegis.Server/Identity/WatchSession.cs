using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Watching;
using Grpc.Core;

namespace Aegis.Server.Identity;

/// <summary>
/// One open watch stream: its caller, its slot under the tenant's stream limit (given back on dispose), and the check
/// that ends it once the caller's credentials stop being valid — a revoked key loses its streams within one heartbeat.
/// </summary>
public sealed class WatchSession(Principal principal, IDisposable slot, IPrincipalResolver resolver, ServerCallContext context, WatchSettings settings, TimeProvider time)
    : IDisposable
{
    private DateTimeOffset _checkedAt = time.GetUtcNow();

    /// <summary>The caller, as resolved when the stream opened.</summary>
    public Principal Principal { get; } = principal;

    /// <summary>
    /// Re-reads the caller's credentials at every heartbeat, and on other messages once a heartbeat interval has
    /// passed since the last check (so a busy stream is checked as often as an idle one).
    /// </summary>
    /// <exception cref="UnauthenticatedException">The key was revoked (or the caller is no longer who it was).</exception>
    public async ValueTask CheckAsync(WatchEvent next)
    {
        var now = time.GetUtcNow();
        if (next.Kind != WatchEventKind.Heartbeat && now - _checkedAt < settings.HeartbeatInterval)
        {
            return;
        }

        _checkedAt = now;
        Principal? current;
        try
        {
            current = await resolver.ResolveAsync(context.RequestHeaders, context.CancellationToken);
        }
        catch (UnauthenticatedException)
        {
            current = null;
        }

        if (current is null || current.Id != Principal.Id || current.TenantId != Principal.TenantId)
        {
            throw new UnauthenticatedException("The credentials of this stream are no longer valid (the API key was revoked); the stream ends.");
        }
    }

    /// <inheritdoc />
    public void Dispose() => slot.Dispose();
}
