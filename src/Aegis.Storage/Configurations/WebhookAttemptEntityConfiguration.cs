using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>webhook_attempts</c>: the delivery log, deleted with its delivery.</summary>
public sealed class WebhookAttemptEntityConfiguration : IEntityTypeConfiguration<WebhookAttemptEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<WebhookAttemptEntity> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(a => a.DeliveryId).HasColumnName("delivery_id");
        builder.Property(a => a.Attempt).HasColumnName("attempt");
        builder.Property(a => a.StatusCode).HasColumnName("status_code");
        builder.Property(a => a.Error).HasColumnName("error").HasMaxLength(500);
        builder.Property(a => a.At).HasColumnName("at");
        builder.Property(a => a.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.HasOne<WebhookDeliveryEntity>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.DeliveryId).HasDatabaseName("ix_webhook_attempts_delivery");
    }
}
