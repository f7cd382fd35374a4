using Aegis.Core.Accounts;

namespace Aegis.Core.Ports;

/// <summary>Durable storage of accounts and API keys (hashes only).</summary>
public interface IAccountStore
{
    /// <summary>Creates the account and its first key in one transaction.</summary>
    /// <exception cref="Exceptions.EmailTakenException">An account with the email exists.</exception>
    Task CreateAccountAsync(AccountRecord account, ApiKeyRecord firstKey, CancellationToken cancellationToken);

    /// <summary>Stores a new key.</summary>
    Task InsertKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>The active (not revoked) key with this SHA-256 hash, read from the database on every call.</summary>
    Task<ApiKeyRecord?> FindActiveKeyByHashAsync(byte[] hash, CancellationToken cancellationToken);

    /// <summary>The tenant's keys, newest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Revokes the tenant's key (keeping an earlier revocation time); null when the tenant has no such key.</summary>
    Task<ApiKeyRecord?> RevokeKeyAsync(string tenantId, Guid keyId, DateTimeOffset at, CancellationToken cancellationToken);
}
