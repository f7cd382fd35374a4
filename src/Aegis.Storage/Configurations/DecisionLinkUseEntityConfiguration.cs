using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>decision_link_uses</c>: the primary key on the nonce makes a link's use insert-if-absent.</summary>
public sealed class DecisionLinkUseEntityConfiguration : IEntityTypeConfiguration<DecisionLinkUseEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<DecisionLinkUseEntity> builder)
    {
        builder.ToTable("decision_link_uses");
        builder.HasKey(u => u.Nonce);
        builder.Property(u => u.Nonce).HasColumnName("nonce").HasMaxLength(64);
        builder.Property(u => u.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(u => u.ActionId).HasColumnName("action_id");
        builder.Property(u => u.Outcome).HasColumnName("outcome").HasMaxLength(16).IsRequired();
        builder.Property(u => u.Principal).HasColumnName("principal").HasMaxLength(255).IsRequired();
        builder.Property(u => u.UsedAt).HasColumnName("used_at");
    }
}
