using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>audit_chain_heads</c>: one row per tenant with a sealed chain, the sealer's alone.</summary>
public sealed class AuditChainHeadEntityConfiguration : IEntityTypeConfiguration<AuditChainHeadEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<AuditChainHeadEntity> builder)
    {
        builder.ToTable("audit_chain_heads");
        builder.HasKey(e => e.TenantId);
        builder.Property(e => e.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
        builder.Property(e => e.LastSequence).HasColumnName("last_sequence");
        builder.Property(e => e.LastId).HasColumnName("last_id");
        builder.Property(e => e.LastHash).HasColumnName("last_hash").HasMaxLength(64).IsRequired();
        builder.Property(e => e.CheckpointedAt).HasColumnName("checkpointed_at");
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at");
    }
}
