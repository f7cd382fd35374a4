using Aegis.Core.Accounts;

namespace Aegis.Core.Ports;

/// <summary>Durable storage of accounts and API keys (hashes only).</summary>
public interface IAccountStore
{
    /// <summary>Creates the account and its first key, with <paramref name="audit"/>, in one transaction.</summary>
    /// <exception cref="Exceptions.EmailTakenException">An account with the email exists.</exception>
    Task CreateAccountAsync(AccountRecord account, ApiKeyRecord firstKey, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Stores a new key with <paramref name="audit"/>, in one transaction.</summary>
    Task InsertKeyAsync(ApiKeyRecord key, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The active (not revoked) key with this SHA-256 hash, read from the database on every call.</summary>
    Task<ApiKeyRecord?> FindActiveKeyByHashAsync(byte[] hash, CancellationToken cancellationToken);

    /// <summary>The tenant's keys, newest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes the tenant's key (keeping an earlier revocation time); null when the tenant has no such key. When this
    /// call revoked it, the event <paramref name="audit"/> makes of the revoked key is written in the same transaction.
    /// </summary>
    Task<ApiKeyRecord?> RevokeKeyAsync(string tenantId, Guid keyId, DateTimeOffset at, Func<ApiKeyRecord, AuditEntry> audit, CancellationToken cancellationToken);
}
