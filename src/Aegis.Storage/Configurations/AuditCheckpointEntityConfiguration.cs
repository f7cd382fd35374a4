using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>audit_checkpoints</c>: append-only; one checkpoint per tenant and chain position at most.</summary>
public sealed class AuditCheckpointEntityConfiguration : IEntityTypeConfiguration<AuditCheckpointEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<AuditCheckpointEntity> builder)
    {
        builder.ToTable("audit_checkpoints");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(e => e.LastSealedId).HasColumnName("last_sealed_id");
        builder.Property(e => e.Count).HasColumnName("count");
        builder.Property(e => e.Hash).HasColumnName("hash").HasMaxLength(64).IsRequired();
        builder.Property(e => e.SealedAt).HasColumnName("sealed_at");
        builder.HasIndex(e => new { e.TenantId, e.Count }).IsUnique().HasDatabaseName("ux_audit_checkpoints_tenant_count");
    }
}
