using Aegis.Core.Identity;
using Aegis.Core.Ports;

namespace Aegis.Core.Accounts;

/// <summary>
/// Turns a presented API key into a principal. Every call reads the key's row from the database — there is no
/// cache — so a revocation committed on any replica refuses the key on every replica from the next request on.
/// </summary>
public sealed class ApiKeyAuthenticator(IAccountStore store)
{
    /// <summary>The key's principal, or null when the key is malformed, unknown or revoked.</summary>
    public async Task<Principal?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeySecrets.LooksLikeKey(presentedKey))
        {
            return null;
        }

        var hash = ApiKeySecrets.Hash(presentedKey);
        var key = await store.FindActiveKeyByHashAsync(hash, cancellationToken);

        // The lookup is by hash, so a match is already certain; comparing the full hashes again in constant time
        // keeps the decision itself free of timing differences whatever the index or collation does.
        if (key is null || !ApiKeySecrets.Matches(key.Hash, hash))
        {
            return null;
        }

        return new Principal(key.TenantId, key.PrincipalId, key.Roles, key.Name, key.Groups);
    }
}
