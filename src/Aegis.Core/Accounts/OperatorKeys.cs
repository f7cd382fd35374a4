using System.Security.Cryptography;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;

namespace Aegis.Core.Accounts;

/// <summary>
/// The service operator's credentials (<c>Aegis:Operator:Keys</c>): keys <c>sk_op_…</c> whose SHA-256 hashes — never
/// the keys — are configured, exactly as API keys are stored. An operator key holds only the
/// <see cref="Roles.Operator"/> role (it raises a tenant's plan) and names the tenant it acts on in the
/// <c>Tenant-Id</c> header. No tenant can obtain one: Signup and CreateApiKey only ever issue <c>sk_live_</c> keys.
/// </summary>
public sealed class OperatorKeys
{
    /// <summary>Every operator key starts with this.</summary>
    public const string Scheme = "sk_op_";

    /// <summary>Shortest accepted operator key (the scheme and 32 more characters).</summary>
    public const int MinLength = 38;

    private readonly byte[][] _hashes;

    /// <summary>Creates the set from lower- or upper-case hex SHA-256 hashes.</summary>
    /// <exception cref="ArgumentException">A hash is not 64 hex digits.</exception>
    public OperatorKeys(IEnumerable<string> hexHashes)
    {
        _hashes = hexHashes.Select(h => IsHash(h) ? Convert.FromHexString(h) : throw new ArgumentException(
            $"Aegis:Operator:Keys holds SHA-256 hashes (64 hex digits) of the keys, not '{h[..Math.Min(h.Length, 8)]}…'.", nameof(hexHashes))).ToArray();
    }

    /// <summary>No operator keys: upgrades then come only from verified payment events.</summary>
    public static OperatorKeys None { get; } = new([]);

    /// <summary>Whether <paramref name="token"/> has the shape of an operator key (it is never looked up as an API key).</summary>
    public static bool LooksLikeKey(string token) => token.StartsWith(Scheme, StringComparison.Ordinal) && token.Length >= MinLength;

    /// <summary>Whether <paramref name="hex"/> is a hex SHA-256 hash.</summary>
    public static bool IsHash(string hex) => hex.Length == 64 && hex.All(char.IsAsciiHexDigit);

    /// <summary>
    /// The operator principal acting on <paramref name="tenantId"/>, or null when <paramref name="presentedKey"/> is not
    /// a configured operator key. Every configured hash is compared, in constant time each.
    /// </summary>
    /// <exception cref="InvalidInputException">A valid operator key without a well-formed tenant to act on.</exception>
    public Principal? Authenticate(string presentedKey, string? tenantId)
    {
        var hash = ApiKeySecrets.Hash(presentedKey);
        var matched = -1;
        for (var i = 0; i < _hashes.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(_hashes[i], hash))
            {
                matched = i;
            }
        }

        if (matched < 0)
        {
            return null;
        }

        if (string.IsNullOrEmpty(tenantId))
        {
            throw new InvalidInputException("tenant_id", "An operator key acts on the tenant named in the Tenant-Id header; none was sent.", "TENANT_ID_REQUIRED");
        }

        return new Principal(TenantIds.Validate(tenantId), $"operator:{Convert.ToHexStringLower(_hashes[matched])[..12]}", Roles.Operator);
    }
}
