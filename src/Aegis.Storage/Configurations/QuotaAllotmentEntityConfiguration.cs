using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>
/// Table <c>quota_allotments</c>. The index deliberately leaves out <c>remaining</c>, so the decrement on every
/// billable insert is a HOT update that touches no index; on PostgreSQL the table is created with <c>fillfactor = 10</c>
/// (migration <c>QuotaAllotmentSlots</c>), so those updates find room on their page and a tenant's few rows do not
/// share one heap page.
/// </summary>
public sealed class QuotaAllotmentEntityConfiguration : IEntityTypeConfiguration<QuotaAllotmentEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<QuotaAllotmentEntity> builder)
    {
        builder.ToTable("quota_allotments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(a => a.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(a => a.Period).HasColumnName("period").HasMaxLength(7).IsRequired();
        builder.Property(a => a.Remaining).HasColumnName("remaining");
        builder.Property(a => a.Slot).HasColumnName("slot").HasDefaultValue(0);
        builder.HasIndex(a => new { a.TenantId, a.Period, a.Slot }).HasDatabaseName("ix_quota_allotments_tenant_period_slot");
    }
}
