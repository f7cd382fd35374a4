using System.Net;
using Aegis.Server.Hosting;

namespace Aegis.Server.Identity;

/// <summary>Whether the <c>Tenant-Id</c> header is accepted as identity (resolved once from configuration).</summary>
/// <param name="Enabled">True in trusted self-hosted mode.</param>
public sealed record TrustedHeaderMode(bool Enabled)
{
    /// <summary>
    /// Decides the mode. Explicit <c>Aegis:Auth:TrustTenantHeader</c> wins. Unset, it is on for the embedded (SQLite)
    /// default only while the server listens on loopback: trusted mode lets every caller act as any tenant with every
    /// role, so it is never implied where other machines can reach it — the server refuses to start instead.
    /// </summary>
    /// <exception cref="StartupRefusedException">Unset, embedded, and <paramref name="listenAddress"/> is not loopback.</exception>
    public static TrustedHeaderMode Resolve(bool? configured, bool embedded, IPAddress listenAddress)
    {
        if (configured is { } explicitly)
        {
            return new TrustedHeaderMode(explicitly);
        }

        if (embedded && !IPAddress.IsLoopback(listenAddress))
        {
            throw new StartupRefusedException(
                $"Aegis refuses to start: the embedded default trusts the Tenant-Id header (anyone who can reach it acts as any tenant), " +
                $"and Aegis:ListenAddress {listenAddress} is not loopback; set Aegis:Auth:TrustTenantHeader=false to require API keys, " +
                "or =true only if nobody untrusted can reach this address.");
        }

        return new TrustedHeaderMode(embedded);
    }
}
