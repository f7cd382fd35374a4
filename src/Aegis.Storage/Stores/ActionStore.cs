using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Aegis.Storage.Billing;
using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Aegis.Storage.Stores;

/// <summary>
/// <see cref="IActionStore"/> over EF Core, for both backends. Exactly-once rests on the database alone: the insert
/// is <c>INSERT … ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING</c>, in one transaction with its audit
/// row; transitions are <see cref="TransitionStore"/>'s.
/// </summary>
public sealed class ActionStore(IDbContextFactory<AegisDbContext> contexts, StorageDialect dialect, UsageMeter meter) : IActionStore
{
    /// <inheritdoc />
    public async Task<InsertResult> InsertAsync(ActionRecord action, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = tx.GetDbTransaction();
            command.CommandText = $"""
                INSERT INTO actions (id, tenant_id, idempotency_key, thread_id, payload, payload_hash, state,
                    decision_outcome, decided_by, decision_method, decision_policy, decision_comment, decision_reason,
                    decision_retryable, decided_at, decision_deadline, on_timeout, fencing_token, attempts,
                    created_at, updated_at, version, lease_expires_at, comment_for_reviewer)
                VALUES (@id, @tenant_id, @idempotency_key, @thread_id, {dialect.Json("@payload")}, @payload_hash, @state,
                    @decision_outcome, @decided_by, @decision_method, @decision_policy, @decision_comment, @decision_reason,
                    @decision_retryable, @decided_at, @decision_deadline, @on_timeout, @fencing_token, @attempts,
                    @created_at, @updated_at, @version, @lease_expires_at, @comment_for_reviewer)
                ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                RETURNING id
                """;
            var d = action.Decision;
            StorageDialect.Add(command, "@id", dialect.Id(action.Id));
            StorageDialect.Add(command, "@tenant_id", action.TenantId);
            StorageDialect.Add(command, "@idempotency_key", action.IdempotencyKey);
            StorageDialect.Add(command, "@thread_id", action.ThreadId);
            StorageDialect.Add(command, "@payload", action.PayloadJson);
            StorageDialect.Add(command, "@payload_hash", action.PayloadHash);
            StorageDialect.Add(command, "@state", ActionMapper.Name(action.State));
            StorageDialect.Add(command, "@decision_outcome", d is null ? null : ActionMapper.Name(d.Outcome));
            StorageDialect.Add(command, "@decided_by", d?.Principal);
            StorageDialect.Add(command, "@decision_method", d is null ? null : ActionMapper.Name(d.Method));
            StorageDialect.Add(command, "@decision_policy", d?.Policy);
            StorageDialect.Add(command, "@decision_comment", d?.Comment);
            StorageDialect.Add(command, "@decision_reason", d?.Reason);
            StorageDialect.Add(command, "@decision_retryable", d?.Retryable ?? false);
            StorageDialect.Add(command, "@decided_at", dialect.Time(d?.DecidedAt));
            StorageDialect.Add(command, "@created_at", dialect.Time(action.CreatedAt));
            StorageDialect.Add(command, "@updated_at", dialect.Time(action.UpdatedAt));
            StorageDialect.Add(command, "@version", action.Version);
            StorageDialect.Add(command, "@fencing_token", action.FencingToken);
            StorageDialect.Add(command, "@attempts", action.Attempts);
            StorageDialect.Add(command, "@lease_expires_at", dialect.Time(action.LeaseExpiresAt));
            StorageDialect.Add(command, "@decision_deadline", dialect.Time(action.DecisionDeadline));
            StorageDialect.Add(command, "@on_timeout", action.OnTimeout is { } onTimeout ? ActionMapper.Name(onTimeout) : null);
            StorageDialect.Add(command, "@comment_for_reviewer", action.CommentForReviewer);

            var inserted = await command.ExecuteScalarAsync(cancellationToken);
            if (inserted is not null and not DBNull)
            {
                // Billing: the usage event and the unit of quota commit or roll back with the action (a quota
                // refusal throws here, the transaction rolls back, and nothing is stored for the key).
                await meter.ChargeAsync(command.Connection!, command.Transaction, action, cancellationToken);
                db.AuditEvents.Add(AuditRows.For(action.TenantId, action.Id, audit, action.CreatedAt));
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
                return new InsertResult(true, action);
            }
        }

        // The key existed (or a concurrent insert committed first): report the row that won.
        var existing = await FindByKeyAsync(action.TenantId, action.IdempotencyKey, cancellationToken)
            ?? throw new InvalidOperationException("An insert conflicted with a row that cannot be read.");
        return new InsertResult(false, existing);
    }

    /// <inheritdoc />
    public async Task<ActionRecord?> FindByIdAsync(string? tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Actions.AsNoTracking().Where(a => a.Id == id);
        if (tenantId is not null)
        {
            query = query.Where(a => a.TenantId == tenantId);
        }

        var row = await query.SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : ActionMapper.ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<ActionRecord?> FindByKeyAsync(string tenantId, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Actions.AsNoTracking()
            .SingleOrDefaultAsync(a => a.TenantId == tenantId && a.IdempotencyKey == idempotencyKey, cancellationToken);
        return row is null ? null : ActionMapper.ToRecord(row);
    }
}
