using System.Security.Cryptography;
using Aegis.Core.Accounts;

namespace Aegis.Core.Webhooks;

/// <summary>
/// Endpoint signing secrets: generated here (<c>whsec_</c> + 43 base62 characters, 256 bits), returned in clear once by
/// the call that registers the endpoint, and stored only sealed with AES-256-GCM under a key derived from
/// <see cref="ServerKeys"/>. The relay opens them to sign; they are never logged.
/// </summary>
public sealed class WebhookSecrets(ServerKeys keys)
{
    /// <summary>Every secret starts with this.</summary>
    public const string Scheme = "whsec_";

    private const string Purpose = "webhook-secrets";
    private const string Version = "v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>A new random secret, in clear.</summary>
    public static string Generate() => Scheme + ApiKeySecrets.Generate()[ApiKeySecrets.Scheme.Length..];

    /// <summary>The secret encrypted for storage: <c>v1.</c> + base64(nonce, tag, ciphertext).</summary>
    public async ValueTask<string> SealAsync(string secret, CancellationToken cancellationToken)
    {
        var key = await keys.KeyForAsync(Purpose, cancellationToken);
        var plain = System.Text.Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        return Version + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The secret in clear from its sealed form.</summary>
    /// <exception cref="CryptographicException">Sealed under another key (the server key changed) or tampered with.</exception>
    public async ValueTask<string> OpenAsync(string sealedSecret, CancellationToken cancellationToken)
    {
        if (!sealedSecret.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown sealed-secret version.");
        }

        var key = await keys.KeyForAsync(Purpose, cancellationToken);
        var bytes = Convert.FromBase64String(sealedSecret[Version.Length..]);
        var plain = new byte[bytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize + TagSize), bytes.AsSpan(NonceSize, TagSize), plain);
        return System.Text.Encoding.UTF8.GetString(plain);
    }
}
