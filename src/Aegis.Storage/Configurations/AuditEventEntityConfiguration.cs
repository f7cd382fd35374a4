using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>audit_events</c>: append-only, chained per tenant by the sealer (docs/audit.md).</summary>
public sealed class AuditEventEntityConfiguration(string jsonColumnType) : IEntityTypeConfiguration<AuditEventEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<AuditEventEntity> builder)
    {
        builder.ToTable("audit_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(e => e.ActionId).HasColumnName("action_id");
        builder.Property(e => e.ThreadId).HasColumnName("thread_id").HasMaxLength(255);
        builder.Property(e => e.ActorMethod).HasColumnName("actor_method").HasMaxLength(32).HasDefaultValue("").IsRequired();
        builder.Property(e => e.CauseRequestId).HasColumnName("cause_request_id").HasMaxLength(128);
        builder.Property(e => e.Before).HasColumnName("before").HasColumnType(jsonColumnType);
        builder.Property(e => e.After).HasColumnName("after").HasColumnType(jsonColumnType);
        builder.Property(e => e.Sequence).HasColumnName("sequence");
        builder.Property(e => e.PrevId).HasColumnName("prev_id");
        builder.Property(e => e.Kind).HasColumnName("kind").HasMaxLength(64).IsRequired();
        builder.Property(e => e.Actor).HasColumnName("actor").HasMaxLength(255).IsRequired();
        builder.Property(e => e.Data).HasColumnName("data").HasColumnType(jsonColumnType).IsRequired();
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        builder.Property(e => e.Hash).HasColumnName("hash").HasMaxLength(64);

        builder.HasIndex(e => new { e.TenantId, e.ActionId }, "ix_audit_tenant_action");
        // The sealer's work list: a tenant's unsealed events in id order.
        builder.HasIndex(e => new { e.TenantId, e.Id }, "ix_audit_unsealed").HasFilter("hash IS NULL");

        // The chain order (verify walks it); unique, so no two events can hold one position of a tenant's chain. Partial:
        // a request's insert (no position yet) adds no entry to it.
        builder.HasIndex(e => new { e.TenantId, e.Sequence }, "ux_audit_tenant_sequence").IsUnique().HasFilter("sequence IS NOT NULL");

        // Listings: a tenant's events newest first, optionally of one thread.
        builder.HasIndex(e => new { e.TenantId, e.Id }, "ix_audit_tenant_id");
        builder.HasIndex(e => new { e.TenantId, e.ThreadId }, "ix_audit_tenant_thread");
    }
}
