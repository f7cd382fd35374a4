namespace Aegis.Core.Identity;

/// <summary>Who is calling: resolved once per request by the host from an API key or, in trusted mode, a
/// <c>Tenant-Id</c> header.</summary>
/// <param name="TenantId">The tenant every query of this call is scoped to.</param>
/// <param name="Id">A stable, non-secret id of the caller, recorded as who decided (e.g. <c>tenant-header</c> or a key id).</param>
/// <param name="Roles">What the caller may do.</param>
public sealed record Principal(string TenantId, string Id, Roles Roles)
{
    /// <summary>Whether the caller holds <paramref name="role"/>.</summary>
    public bool Has(Roles role) => (Roles & role) == role;

    /// <summary>Throws <see cref="Exceptions.PermissionDeniedException"/> with <paramref name="message"/> unless the caller holds <paramref name="role"/>.</summary>
    public void Require(Roles role, string message, string reason = Exceptions.PermissionDeniedException.DefaultReason)
    {
        if (!Has(role))
        {
            throw new Exceptions.PermissionDeniedException(message, reason);
        }
    }
}
