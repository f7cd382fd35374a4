namespace Aegis.Core.Identity;

/// <summary>Who is calling: resolved once per request by the host from an API key or, in trusted mode, a
/// <c>Tenant-Id</c> header.</summary>
/// <param name="TenantId">The tenant every query of this call is scoped to.</param>
/// <param name="Id">A stable, non-secret id of the caller, recorded as who decided (e.g. <c>tenant-header</c> or a key id).</param>
/// <param name="Roles">What the caller may do.</param>
/// <param name="KeyName">The API key's name (policies can match on it); null in trusted Tenant-Id mode.</param>
/// <param name="Groups">The reviewer groups the key belongs to; null: none.</param>
public sealed record Principal(string TenantId, string Id, Roles Roles, string? KeyName = null, IReadOnlyList<string>? Groups = null)
{
    /// <summary>
    /// Whether the caller may decide for <paramref name="group"/> (null: any reviewer): a key of the group, or the
    /// trusted Tenant-Id caller, who runs the server and so stands for every group.
    /// </summary>
    public bool InGroup(string? group) =>
        group is null || Has(Roles.All) || (Groups?.Contains(group, StringComparer.Ordinal) ?? false);

    /// <summary>The strongest role, as policies see it: <c>admin</c>, <c>reviewer</c> or <c>agent</c>.</summary>
    public string RoleName => Has(Roles.Admin) ? "admin" : Has(Roles.Reviewer) ? "reviewer" : "agent";

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
