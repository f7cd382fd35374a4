using Aegis.Core.Ports;
using Microsoft.AspNetCore.DataProtection;

namespace Aegis.Server.Mcp;

/// <summary>
/// <see cref="ISecretProtector"/> over ASP.NET Core Data Protection. The key ring lives in the database
/// (<c>data_protection_keys</c>), so whatever one replica protects every replica can unprotect.
/// </summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    // The purpose isolates these ciphertexts from any other use of the key ring.
    private readonly IDataProtector _protector = provider.CreateProtector("Aegis.Mcp.UpstreamAuthHeader.v1");

    /// <inheritdoc />
    public string Protect(string secret) => _protector.Protect(secret);

    /// <inheritdoc />
    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
