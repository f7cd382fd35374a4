using Aegis.Core.Accounts;
using Aegis.Core.Exceptions;
using Aegis.Core.Ports;
using Aegis.Storage.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Aegis.Storage.Stores;

/// <summary><see cref="IAccountStore"/> over EF Core. Keys are stored as SHA-256 hashes only.</summary>
public sealed class AccountStore(IDbContextFactory<AegisDbContext> contexts) : IAccountStore
{
    /// <inheritdoc />
    public async Task CreateAccountAsync(AccountRecord account, ApiKeyRecord firstKey, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Accounts.Add(new AccountEntity
        {
            TenantId = account.TenantId,
            Email = account.Email,
            Plan = account.Plan,
            CreatedAt = account.CreatedAt,
            UpdatedAt = account.CreatedAt,
        });
        db.ApiKeys.Add(ToEntity(firstKey));
        db.AuditEvents.Add(AuditRows.For(account.TenantId, audit, account.CreatedAt));
        try
        {
            // One SaveChanges = one transaction: the account, its key and the event exist together or not at all.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            // The unique email index decides between concurrent signups; tenant ids and key hashes are random.
            throw new EmailTakenException();
        }
    }

    /// <inheritdoc />
    public async Task InsertKeyAsync(ApiKeyRecord key, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(ToEntity(key));
        db.AuditEvents.Add(AuditRows.For(key.TenantId, audit, key.CreatedAt));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> FindActiveKeyByHashAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.AsNoTracking()
            .Where(k => k.KeyHash == hash && k.RevokedAt == null)
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId).ToListAsync(cancellationToken);
        return rows.OrderByDescending(k => k.Id).Select(ToRecord).ToList();
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> RevokeKeyAsync(
        string tenantId, Guid keyId, DateTimeOffset at, Func<ApiKeyRecord, AuditEntry> audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var revoked = await db.ApiKeys
            .Where(k => k.TenantId == tenantId && k.Id == keyId && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, at), cancellationToken);
        var row = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.TenantId == tenantId && k.Id == keyId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        // Only the call that revoked the key records it; a repeat finds it revoked and changes nothing.
        var record = ToRecord(row);
        if (revoked == 1)
        {
            db.AuditEvents.Add(AuditRows.For(tenantId, audit(record), at));
            await db.SaveChangesAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return record;
    }

    private static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode == 2067,
        _ => false,
    };

    private static ApiKeyEntity ToEntity(ApiKeyRecord k) => new()
    {
        Id = k.Id,
        TenantId = k.TenantId,
        Name = k.Name,
        Groups = string.Join(',', k.Groups),
        Role = k.Role.ToString().ToUpperInvariant(),
        Prefix = k.Prefix,
        KeyHash = k.Hash,
        CreatedAt = k.CreatedAt,
        RevokedAt = k.RevokedAt,
    };

    private static ApiKeyRecord ToRecord(ApiKeyEntity e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        Name = e.Name,
        Groups = e.Groups.Length == 0 ? [] : e.Groups.Split(','),
        Role = Enum.Parse<KeyRole>(e.Role, ignoreCase: true),
        Prefix = e.Prefix,
        Hash = e.KeyHash,
        CreatedAt = e.CreatedAt,
        RevokedAt = e.RevokedAt,
    };
}
