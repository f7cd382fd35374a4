using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage;

/// <summary>
/// Brings the database to the current schema. Safe to run from several replicas at once: EF Core takes a migration
/// lock (an advisory lock on PostgreSQL, a lock table on SQLite) around <c>MigrateAsync</c>.
/// </summary>
public sealed class DatabaseInitializer(IDbContextFactory<AegisDbContext> contexts, StorageDialect dialect)
{
    /// <summary>Applies pending migrations; on SQLite also switches to WAL so readers never block the writer.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!dialect.IsPostgres)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        // Replicas starting together on an empty PostgreSQL database can still both try to apply the same migration
        // (seen with two processes: one failed on the history table's primary key). Each migration runs in its own
        // transaction, so the loser changed nothing; asked again, it finds the migration applied.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
                return;
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
        }
    }
}
