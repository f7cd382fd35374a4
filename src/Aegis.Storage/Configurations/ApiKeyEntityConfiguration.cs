using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>api_keys</c>: looked up by hash on every authenticated request.</summary>
public sealed class ApiKeyEntityConfiguration : IEntityTypeConfiguration<ApiKeyEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<ApiKeyEntity> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(k => k.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(k => k.Name).HasColumnName("name").HasMaxLength(100).IsRequired();
        builder.Property(k => k.Role).HasColumnName("role").HasMaxLength(16).IsRequired();
        builder.Property(k => k.Prefix).HasColumnName("prefix").HasMaxLength(16).IsRequired();
        builder.Property(k => k.KeyHash).HasColumnName("key_hash").IsRequired();
        builder.Property(k => k.CreatedAt).HasColumnName("created_at");
        builder.Property(k => k.RevokedAt).HasColumnName("revoked_at");
        builder.Property(k => k.Groups).HasColumnName("groups").HasMaxLength(1100).HasDefaultValue("");
        builder.HasIndex(k => k.KeyHash).IsUnique().HasDatabaseName("ux_api_keys_hash");
        builder.HasIndex(k => new { k.TenantId, k.Id }).HasDatabaseName("ix_api_keys_tenant");
    }
}
