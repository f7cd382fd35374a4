using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>webhook_endpoints</c>: read by the outbox insert of every transition that raises an event.</summary>
public sealed class WebhookEndpointEntityConfiguration : IEntityTypeConfiguration<WebhookEndpointEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<WebhookEndpointEntity> builder)
    {
        builder.ToTable("webhook_endpoints");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(e => e.Url).HasColumnName("url").HasMaxLength(2048).IsRequired();
        builder.Property(e => e.EventTypes).HasColumnName("event_types").HasMaxLength(200).IsRequired();
        builder.Property(e => e.Flavour).HasColumnName("flavour").HasMaxLength(16).IsRequired();
        builder.Property(e => e.IncludePayload).HasColumnName("include_payload");
        builder.Property(e => e.Enabled).HasColumnName("enabled");
        builder.Property(e => e.Description).HasColumnName("description").HasMaxLength(200).IsRequired();
        builder.Property(e => e.SecretSealed).HasColumnName("secret_sealed").HasMaxLength(200).IsRequired();
        builder.Property(e => e.CreatedAt).HasColumnName("created_at");
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at");
        builder.HasIndex(e => e.TenantId).HasDatabaseName("ix_webhook_endpoints_tenant");
    }
}
