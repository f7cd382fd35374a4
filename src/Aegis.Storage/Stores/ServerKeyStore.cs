using Aegis.Core.Ports;
using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage.Stores;

/// <summary><see cref="IServerKeyStore"/>: insert-if-absent, then read, so concurrent replicas agree on one key.</summary>
public sealed class ServerKeyStore(IDbContextFactory<AegisDbContext> contexts, StorageDialect dialect, WriteGate writes) : IServerKeyStore
{
    /// <inheritdoc />
    public async Task<byte[]> GetOrCreateAsync(string name, byte[] candidate, CancellationToken cancellationToken)
    {
        using (await writes.EnterAsync(cancellationToken))
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await db.Database.OpenConnectionAsync(cancellationToken);
            await RawSql.ExecuteAsync(
                db.Database.GetDbConnection(),
                null,
                "INSERT INTO server_keys (name, material, created_at) VALUES (@name, @material, @created_at) ON CONFLICT (name) DO NOTHING",
                cancellationToken,
                ("@name", name),
                ("@material", candidate),
                ("@created_at", dialect.Time(DateTimeOffset.UtcNow)));
        }

        await using var read = await contexts.CreateDbContextAsync(cancellationToken);
        return await read.ServerKeys.Where(k => k.Name == name).Select(k => k.Material).SingleAsync(cancellationToken);
    }
}
