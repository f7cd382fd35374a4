namespace Aegis.Server.Identity;

/// <summary>Whether the <c>Tenant-Id</c> header is accepted as identity (resolved once from configuration).</summary>
/// <param name="Enabled">True in trusted self-hosted mode.</param>
public sealed record TrustedHeaderMode(bool Enabled);
