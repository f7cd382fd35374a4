using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aegis.Storage.Configurations;

/// <summary>Table <c>actions</c>: snake_case columns, the (tenant, key) uniqueness that exactly-once rests on.</summary>
public sealed class ActionEntityConfiguration(string jsonColumnType) : IEntityTypeConfiguration<ActionEntity>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<ActionEntity> builder)
    {
        builder.ToTable("actions");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(a => a.TenantId).HasColumnName("tenant_id").HasMaxLength(64).IsRequired();
        builder.Property(a => a.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(255).IsRequired();
        builder.Property(a => a.ThreadId).HasColumnName("thread_id").HasMaxLength(255).IsRequired();
        builder.Property(a => a.Payload).HasColumnName("payload").HasColumnType(jsonColumnType).IsRequired();
        builder.Property(a => a.PayloadHash).HasColumnName("payload_hash").HasMaxLength(64).IsRequired();
        builder.Property(a => a.State).HasColumnName("state").HasMaxLength(16).IsRequired();
        builder.Property(a => a.DecisionOutcome).HasColumnName("decision_outcome").HasMaxLength(16);
        builder.Property(a => a.DecidedBy).HasColumnName("decided_by").HasMaxLength(255);
        builder.Property(a => a.DecisionMethod).HasColumnName("decision_method").HasMaxLength(16);
        builder.Property(a => a.DecisionPolicy).HasColumnName("decision_policy").HasMaxLength(255);
        builder.Property(a => a.DecisionComment).HasColumnName("decision_comment").HasMaxLength(4096);
        builder.Property(a => a.DecisionReason).HasColumnName("decision_reason").HasMaxLength(1024);
        builder.Property(a => a.DecisionRetryable).HasColumnName("decision_retryable");
        builder.Property(a => a.DecidedAt).HasColumnName("decided_at");
        builder.Property(a => a.DecisionDeadline).HasColumnName("decision_deadline");
        builder.Property(a => a.OnTimeout).HasColumnName("on_timeout").HasMaxLength(16);
        builder.Property(a => a.FencingToken).HasColumnName("fencing_token");
        builder.Property(a => a.LeaseExpiresAt).HasColumnName("lease_expires_at");
        builder.Property(a => a.Attempts).HasColumnName("attempts");
        builder.Property(a => a.Result).HasColumnName("result").HasColumnType(jsonColumnType);
        builder.Property(a => a.Error).HasColumnName("error").HasColumnType(jsonColumnType);
        builder.Property(a => a.CreatedAt).HasColumnName("created_at");
        builder.Property(a => a.UpdatedAt).HasColumnName("updated_at");
        builder.Property(a => a.Version).HasColumnName("version");
        builder.Property(a => a.CommentForReviewer).HasColumnName("comment_for_reviewer").HasMaxLength(4096);
        builder.Property(a => a.RequiredApprovals).HasColumnName("required_approvals").HasDefaultValue(0);
        builder.Property(a => a.ReviewerGroup).HasColumnName("reviewer_group").HasMaxLength(64);
        builder.Property(a => a.RejectOnAny).HasColumnName("reject_on_any").HasDefaultValue(true).HasSentinel(true);
        builder.Property(a => a.Approvals).HasColumnName("approvals").HasColumnType(jsonColumnType);
        builder.Property(a => a.GatePolicy).HasColumnName("gate_policy").HasMaxLength(255);
        builder.Property(a => a.OriginalPayload).HasColumnName("original_payload").HasColumnType(jsonColumnType);
        builder.Property(a => a.PayloadPatch).HasColumnName("payload_patch").HasColumnType(jsonColumnType);
        builder.Property(a => a.EditedBy).HasColumnName("edited_by").HasMaxLength(255);
        builder.Property(a => a.EditedAt).HasColumnName("edited_at");
        builder.Property(a => a.EditComment).HasColumnName("edit_comment").HasMaxLength(4096);
        builder.Property(a => a.EscalateAt).HasColumnName("escalate_at");
        builder.Property(a => a.EscalationGroup).HasColumnName("escalation_group").HasMaxLength(64);
        builder.Property(a => a.EscalatedAt).HasColumnName("escalated_at");

        builder.HasIndex(a => new { a.TenantId, a.IdempotencyKey }).IsUnique().HasDatabaseName("ux_actions_tenant_key");
        builder.HasIndex(a => new { a.TenantId, a.State, a.Id }).HasDatabaseName("ix_actions_tenant_state");
        builder.HasIndex(a => a.DecisionDeadline).HasFilter("state = 'PENDING'").HasDatabaseName("ix_actions_pending_deadline");
        builder.HasIndex(a => a.LeaseExpiresAt).HasFilter("state = 'EXECUTING'").HasDatabaseName("ix_actions_lease_expiry");
        builder.HasIndex(a => a.EscalateAt).HasFilter("state = 'PENDING' AND escalate_at IS NOT NULL").HasDatabaseName("ix_actions_pending_escalation");

        // The watchers' database fallback (Redis unreachable) asks for a tenant's actions changed since a moment.
        builder.HasIndex(a => new { a.TenantId, a.UpdatedAt }).HasDatabaseName("ix_actions_tenant_updated");

        // The retention purge deletes finished actions by age, batch after batch: without this each batch would
        // scan the whole table.
        builder.HasIndex(a => a.UpdatedAt)
            .HasFilter("state IN ('REJECTED', 'EXPIRED', 'COMMITTED', 'FAILED')")
            .HasDatabaseName("ix_actions_finished_updated_at");
    }
}
