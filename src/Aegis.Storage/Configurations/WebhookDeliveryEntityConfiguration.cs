using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>webhook_deliveries</c>, the outbox: claimed by due time among the pending rows.</summary>
public sealed class WebhookDeliveryEntityConfiguration : IEntityTypeConfiguration<WebhookDeliveryEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<WebhookDeliveryEntity> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(d => d.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(d => d.EndpointId).HasColumnName("endpoint_id");
        builder.Property(d => d.EventId).HasColumnName("event_id");
        builder.Property(d => d.EventType).HasColumnName("event_type").HasMaxLength(32).IsRequired();
        builder.Property(d => d.ActionId).HasColumnName("action_id");
        builder.Property(d => d.OccurredAt).HasColumnName("occurred_at");
        builder.Property(d => d.RetryFrom).HasColumnName("retry_from");
        builder.Property(d => d.State).HasColumnName("state").HasMaxLength(16).IsRequired();
        builder.Property(d => d.Attempts).HasColumnName("attempts");
        builder.Property(d => d.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.HasOne<WebhookEndpointEntity>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.EndpointId, d.EventId }).IsUnique().HasDatabaseName("ux_webhook_deliveries_endpoint_event");
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("state = 'PENDING'").HasDatabaseName("ix_webhook_deliveries_due");
    }
}
