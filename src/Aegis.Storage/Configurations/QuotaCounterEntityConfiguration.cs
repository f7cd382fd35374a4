using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>quota_counters</c>: one row per tenant and period.</summary>
public sealed class QuotaCounterEntityConfiguration : IEntityTypeConfiguration<QuotaCounterEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<QuotaCounterEntity> builder)
    {
        builder.ToTable("quota_counters");
        builder.HasKey(c => new { c.TenantId, c.Period });
        builder.Property(c => c.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
        builder.Property(c => c.Period).HasColumnName("period").HasMaxLength(7);
        builder.Property(c => c.Claimed).HasColumnName("claimed");
        builder.Property(c => c.LastGrant).HasColumnName("last_grant");
    }
}
