using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>accounts</c>: one row per tenant with an account; email unique.</summary>
public sealed class AccountEntityConfiguration : IEntityTypeConfiguration<AccountEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<AccountEntity> builder)
    {
        builder.ToTable("accounts");
        builder.HasKey(a => a.TenantId);
        builder.Property(a => a.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
        builder.Property(a => a.Email).HasColumnName("email").HasMaxLength(254);
        builder.Property(a => a.Plan).HasColumnName("plan").HasMaxLength(64).IsRequired();
        builder.Property(a => a.CreatedAt).HasColumnName("created_at");
        builder.Property(a => a.UpdatedAt).HasColumnName("updated_at");
        builder.HasIndex(a => a.Email).IsUnique().HasDatabaseName("ux_accounts_email");
    }
}
