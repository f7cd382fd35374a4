namespace Aegis.Server.Hosting;

/// <summary>The <c>Aegis:Auth</c> section.</summary>
public sealed class AuthOptions
{
    /// <summary>
    /// Accept a <c>Tenant-Id</c> header as the caller's identity, with every role. Only for trusted self-hosted
    /// setups. Unset: on for the embedded (SQLite) default, off with PostgreSQL.
    /// </summary>
    public bool? TrustTenantHeader { get; set; }
}
