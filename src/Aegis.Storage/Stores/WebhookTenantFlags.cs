using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage.Stores;

/// <summary>
/// Whether a tenant has an enabled webhook endpoint, cached per replica for <see cref="Ttl"/>, so that a transition
/// of a tenant without webhooks (the common case) costs no extra statement: only when the flag is set does the
/// transition's transaction run the outbox insert (which itself checks the endpoints exactly). A registration or
/// re-enable on this replica refreshes the flag at once; on other replicas it is seen within <see cref="Ttl"/>, so a
/// transition committed in that short window after a registration may send no event to the new endpoint. New actions
/// never depend on the flag: their outbox insert is part of the insert statement itself.
/// </summary>
public sealed class WebhookTenantFlags(IDbContextFactory<AegisDbContext> contexts)
{
    /// <summary>How long a flag is trusted.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (bool Has, long Until)> _flags = new();

    /// <summary>Whether <paramref name="tenantId"/> has an enabled endpoint (possibly <see cref="Ttl"/> old).</summary>
    public async ValueTask<bool> HasEndpointsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        if (_flags.TryGetValue(tenantId, out var flag) && flag.Until > now)
        {
            return flag.Has;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var has = await db.WebhookEndpoints.AnyAsync(e => e.TenantId == tenantId && e.Enabled, cancellationToken);
        _flags[tenantId] = (has, now + (long)Ttl.TotalMilliseconds);
        return has;
    }

    /// <summary>Forgets the tenant's flag (its endpoints changed on this replica).</summary>
    public void Forget(string tenantId) => _flags.TryRemove(tenantId, out _);
}
