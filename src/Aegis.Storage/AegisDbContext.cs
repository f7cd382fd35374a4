using Aegis.Storage.Configurations;
using Aegis.Storage.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage;

/// <summary>
/// The model shared by both backends. Each backend has its own subclass only so that each keeps its own
/// migrations (<see cref="PostgresAegisDbContext"/>, <see cref="SqliteAegisDbContext"/>).
/// </summary>
public abstract class AegisDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>Actions.</summary>
    public DbSet<ActionEntity> Actions => Set<ActionEntity>();

    /// <summary>The audit log.</summary>
    public DbSet<AuditEventEntity> AuditEvents => Set<AuditEventEntity>();

    /// <summary>Per tenant: where its sealed audit chain ends (the sealer's alone).</summary>
    public DbSet<AuditChainHeadEntity> AuditChainHeads => Set<AuditChainHeadEntity>();

    /// <summary>Periodic checkpoints of the audit chains.</summary>
    public DbSet<AuditCheckpointEntity> AuditCheckpoints => Set<AuditCheckpointEntity>();

    /// <summary>Accounts (tenants with a plan).</summary>
    public DbSet<AccountEntity> Accounts => Set<AccountEntity>();

    /// <summary>API keys (hashes only).</summary>
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();

    /// <summary>Billable events.</summary>
    public DbSet<UsageEventEntity> UsageEvents => Set<UsageEventEntity>();

    /// <summary>Per tenant and period: quota handed out.</summary>
    public DbSet<QuotaCounterEntity> QuotaCounters => Set<QuotaCounterEntity>();

    /// <summary>Claimed, not yet used quota chunks.</summary>
    public DbSet<QuotaAllotmentEntity> QuotaAllotments => Set<QuotaAllotmentEntity>();

    /// <summary>Tenants' policy versions.</summary>
    public DbSet<PolicyEntity> Policies => Set<PolicyEntity>();
    /// <summary>Webhook endpoints.</summary>
    public DbSet<WebhookEndpointEntity> WebhookEndpoints => Set<WebhookEndpointEntity>();

    /// <summary>The webhook outbox: deliveries.</summary>
    public DbSet<WebhookDeliveryEntity> WebhookDeliveries => Set<WebhookDeliveryEntity>();

    /// <summary>The webhook delivery log.</summary>
    public DbSet<WebhookAttemptEntity> WebhookAttempts => Set<WebhookAttemptEntity>();

    /// <summary>Used one-click decision links.</summary>
    public DbSet<DecisionLinkUseEntity> DecisionLinkUses => Set<DecisionLinkUseEntity>();

    /// <summary>Generated server key material.</summary>
    public DbSet<ServerKeyEntity> ServerKeys => Set<ServerKeyEntity>();

    /// <summary>Registered upstream MCP servers.</summary>
    public DbSet<McpUpstreamEntity> McpUpstreams => Set<McpUpstreamEntity>();

    /// <summary>The Data Protection key ring shared by every replica.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <inheritdoc />
    /// <remarks>
    /// Without the savepoint EF Core otherwise wraps around a SaveChanges inside an explicit transaction: two round
    /// trips per transition (<c>SAVEPOINT</c>, <c>RELEASE</c>) that buy nothing here, because no store goes on with a
    /// transaction after a failed SaveChanges — the exception ends it and the transaction rolls back.
    /// </remarks>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        Database.AutoSavepointsEnabled = false;
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>The column type for JSON documents: <c>jsonb</c> on PostgreSQL (exact numbers), <c>TEXT</c> on SQLite.</summary>
    protected abstract string JsonColumnType { get; }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new ActionEntityConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new AuditEventEntityConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new AuditChainHeadEntityConfiguration());
        modelBuilder.ApplyConfiguration(new AuditCheckpointEntityConfiguration());
        modelBuilder.ApplyConfiguration(new AccountEntityConfiguration());
        modelBuilder.ApplyConfiguration(new ApiKeyEntityConfiguration());
        modelBuilder.ApplyConfiguration(new UsageEventEntityConfiguration());
        modelBuilder.ApplyConfiguration(new QuotaCounterEntityConfiguration());
        modelBuilder.ApplyConfiguration(new QuotaAllotmentEntityConfiguration());
        modelBuilder.ApplyConfiguration(new PolicyEntityConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new WebhookEndpointEntityConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookDeliveryEntityConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookAttemptEntityConfiguration());
        modelBuilder.ApplyConfiguration(new DecisionLinkUseEntityConfiguration());
        modelBuilder.ApplyConfiguration(new ServerKeyEntityConfiguration());
        modelBuilder.ApplyConfiguration(new McpUpstreamEntityConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new DataProtectionKeyConfiguration());
    }
}
