using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>policies</c>: (tenant, version) is the key, so two concurrent saves cannot take one version.</summary>
public sealed class PolicyEntityConfiguration(string jsonColumnType) : IEntityTypeConfiguration<PolicyEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<PolicyEntity> builder)
    {
        builder.ToTable("policies");
        builder.HasKey(p => new { p.TenantId, p.Version });
        builder.Property(p => p.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(p => p.Version).HasColumnName("version").ValueGeneratedNever();
        builder.Property(p => p.Name).HasColumnName("name").HasMaxLength(100).IsRequired();
        builder.Property(p => p.Document).HasColumnName("document").HasColumnType(jsonColumnType).IsRequired();
        builder.Property(p => p.CreatedBy).HasColumnName("created_by").HasMaxLength(255).IsRequired();
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
    }
}
