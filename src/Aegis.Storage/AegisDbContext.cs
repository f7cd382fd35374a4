using Aegis.Storage.Configurations;
using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage;

/// <summary>
/// The model shared by both backends. Each backend has its own subclass only so that each keeps its own
/// migrations (<see cref="PostgresAegisDbContext"/>, <see cref="SqliteAegisDbContext"/>).
/// </summary>
public abstract class AegisDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>Actions.</summary>
    public DbSet<ActionEntity> Actions => Set<ActionEntity>();

    /// <summary>The audit log.</summary>
    public DbSet<AuditEventEntity> AuditEvents => Set<AuditEventEntity>();

    /// <summary>The column type for JSON documents: <c>jsonb</c> on PostgreSQL (exact numbers), <c>TEXT</c> on SQLite.</summary>
    protected abstract string JsonColumnType { get; }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new ActionEntityConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new AuditEventEntityConfiguration(JsonColumnType));
    }
}
