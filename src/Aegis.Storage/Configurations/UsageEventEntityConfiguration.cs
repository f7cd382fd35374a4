using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>usage_events</c>: keyed by the action's id, listed per tenant and period in id order.</summary>
public sealed class UsageEventEntityConfiguration : IEntityTypeConfiguration<UsageEventEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<UsageEventEntity> builder)
    {
        builder.ToTable("usage_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(e => e.Period).HasColumnName("period").HasMaxLength(7).IsRequired();
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        builder.HasIndex(e => new { e.TenantId, e.Period, e.Id }).HasDatabaseName("ix_usage_events_tenant_period");
    }
}
