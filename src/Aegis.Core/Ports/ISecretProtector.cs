namespace Aegis.Core.Ports;

/// <summary>Encrypts secrets kept at rest (an upstream's auth header) so that every replica can decrypt them.</summary>
public interface ISecretProtector
{
    /// <summary>The protected form of <paramref name="secret"/>, safe to store.</summary>
    string Protect(string secret);

    /// <summary>The clear secret of a value made by <see cref="Protect"/>.</summary>
    string Unprotect(string protectedSecret);
}
