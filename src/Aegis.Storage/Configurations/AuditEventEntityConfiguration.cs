using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>audit_events</c>: append-only, ordered by its identity id.</summary>
public sealed class AuditEventEntityConfiguration(string jsonColumnType) : IEntityTypeConfiguration<AuditEventEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<AuditEventEntity> builder)
    {
        builder.ToTable("audit_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(e => e.ActionId).HasColumnName("action_id");
        builder.Property(e => e.Kind).HasColumnName("kind").HasMaxLength(64).IsRequired();
        builder.Property(e => e.Actor).HasColumnName("actor").HasMaxLength(255).IsRequired();
        builder.Property(e => e.Data).HasColumnName("data").HasColumnType(jsonColumnType).IsRequired();
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        builder.Property(e => e.Hash).HasColumnName("hash").HasMaxLength(64);

        builder.HasIndex(e => new { e.TenantId, e.ActionId }).HasDatabaseName("ix_audit_tenant_action");
        builder.HasIndex(e => e.Id).HasFilter("hash IS NULL").HasDatabaseName("ix_audit_unsealed");
    }
}
