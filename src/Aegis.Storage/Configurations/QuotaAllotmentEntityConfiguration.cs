using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>
/// Table <c>quota_allotments</c>. The index deliberately leaves out <c>remaining</c>, so the decrement on every
/// billable insert is a HOT update that touches no index.
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
        builder.HasIndex(a => new { a.TenantId, a.Period }).HasDatabaseName("ix_quota_allotments_tenant_period");
    }
}
