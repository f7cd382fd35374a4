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
/// <param name="contexts">EF Core contexts of the configured backend.</param>
/// <param name="dialect">The backend's SQL differences.</param>
/// <param name="meter">Usage events and quota.</param>
/// <param name="postgres">The one-round-trip insert, registered on PostgreSQL only.</param>
/// <param name="sqlite">The grouped-commit insert, registered on SQLite only.</param>
/// <param name="reader">Point reads without EF Core, registered on PostgreSQL only.</param>
public sealed class ActionStore(
    IDbContextFactory<AegisDbContext> contexts,
    StorageDialect dialect,
    UsageMeter meter,
    PostgresActionWriter? postgres = null,
    SqliteGroupCommit? sqlite = null,
    PostgresActionReader? reader = null) : IActionStore
{
    private readonly RecentKeys _recent = new();

    /// <summary>
    /// The insert-if-absent of an action row; <paramref name="payloadSql"/> is the payload's SQL expression
    /// (<see cref="StorageDialect.Json"/>). Parameters: <see cref="AddInsertParameters"/>.
    /// </summary>
    internal static string InsertSql(string payloadSql) => $"""
        INSERT INTO actions (id, tenant_id, idempotency_key, thread_id, payload, payload_hash, state,
            decision_outcome, decided_by, decision_method, decision_policy, decision_comment, decision_reason,
            decision_retryable, decided_at, decision_deadline, on_timeout, fencing_token, attempts,
            created_at, updated_at, version, lease_expires_at, comment_for_reviewer,
            required_approvals, reviewer_group, reject_on_any, gate_policy, escalate_at, escalation_group)
        VALUES (@id, @tenant_id, @idempotency_key, @thread_id, {payloadSql}, @payload_hash, @state,
            @decision_outcome, @decided_by, @decision_method, @decision_policy, @decision_comment, @decision_reason,
            @decision_retryable, @decided_at, @decision_deadline, @on_timeout, @fencing_token, @attempts,
            @created_at, @updated_at, @version, @lease_expires_at, @comment_for_reviewer,
            @required_approvals, @reviewer_group, @reject_on_any, @gate_policy, @escalate_at, @escalation_group)
        ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
        RETURNING id
        """;

    /// <summary>Adds the parameters of <see cref="InsertSql"/> for <paramref name="action"/> through <paramref name="add"/>.</summary>
    internal static void AddInsertParameters(Action<string, object?> add, ActionRecord action, StorageDialect dialect)
    {
        add("@id", dialect.Id(action.Id));
        add("@tenant_id", action.TenantId);
        add("@idempotency_key", action.IdempotencyKey);
        add("@thread_id", action.ThreadId);
        add("@payload", action.PayloadJson);
        add("@payload_hash", action.PayloadHash);
        add("@state", ActionMapper.Name(action.State));
        AddDecisionParameters(add, action.Decision, dialect);
        add("@created_at", dialect.Time(action.CreatedAt));
        add("@updated_at", dialect.Time(action.UpdatedAt));
        add("@version", action.Version);
        add("@fencing_token", action.FencingToken);
        add("@attempts", action.Attempts);
        add("@lease_expires_at", dialect.Time(action.LeaseExpiresAt));
        add("@decision_deadline", dialect.Time(action.DecisionDeadline));
        add("@on_timeout", action.OnTimeout is { } onTimeout ? ActionMapper.Name(onTimeout) : null);
        add("@comment_for_reviewer", action.CommentForReviewer);
        add("@required_approvals", action.RequiredApprovals);
        add("@reviewer_group", action.ReviewerGroup);
        add("@reject_on_any", action.RejectOnAny);
        add("@gate_policy", action.GatePolicy);
        add("@escalate_at", dialect.Time(action.EscalateAt));
        add("@escalation_group", action.EscalationGroup);
    }

    /// <summary>Adds the decision columns' parameters (<c>@decision_outcome</c> … <c>@decided_at</c>) of <paramref name="d"/>, null when undecided.</summary>
    internal static void AddDecisionParameters(Action<string, object?> add, Decision? d, StorageDialect dialect)
    {
        add("@decision_outcome", d is null ? null : ActionMapper.Name(d.Outcome));
        add("@decided_by", d?.Principal);
        add("@decision_method", d is null ? null : ActionMapper.Name(d.Method));
        add("@decision_policy", d?.Policy);
        add("@decision_comment", d?.Comment);
        add("@decision_reason", d?.Reason);
        add("@decision_retryable", d?.Retryable ?? false);
        add("@decided_at", dialect.Time(d?.DecidedAt));
    }

    /// <inheritdoc />
    public async Task<InsertResult> InsertAsync(ActionRecord action, AuditEntry audit, CancellationToken cancellationToken)
    {
        if (sqlite is not null)
        {
            // SQLite: a duplicate is one read that does not wait for the writer; new keys are committed in groups.
            if (await FindByKeyAsync(action.TenantId, action.IdempotencyKey, cancellationToken) is { } stored)
            {
                return new InsertResult(false, stored);
            }

            if (await sqlite.InsertAsync(action, audit))
            {
                return new InsertResult(true, action);
            }
        }
        else
        {
            // A key this replica has seen stored is most likely a duplicate (a retry, a decision on a pending action):
            // one index read answers it. Only a hint: a miss goes on to the insert, which answers duplicates too.
            if (reader is not null && _recent.ProbablyStored(action.TenantId, action.IdempotencyKey)
                && await reader.FindByKeyAsync(action.TenantId, action.IdempotencyKey, cancellationToken) is { } seen)
            {
                return new InsertResult(false, seen);
            }

            // PostgreSQL: one round trip unless the tenant's quota needs a new chunk (then one transaction).
            if (postgres is not null && await postgres.TryInsertAsync(action, audit, cancellationToken) is { } done)
            {
                _recent.Add(action.TenantId, action.IdempotencyKey);
                return done;
            }

            if (await InsertInTransactionAsync(action, audit, cancellationToken))
            {
                _recent.Add(action.TenantId, action.IdempotencyKey);
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
        if (reader is not null)
        {
            return await reader.FindByIdAsync(tenantId, id, cancellationToken);
        }

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
        if (reader is not null)
        {
            return await reader.FindByKeyAsync(tenantId, idempotencyKey, cancellationToken);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Actions.AsNoTracking()
            .SingleOrDefaultAsync(a => a.TenantId == tenantId && a.IdempotencyKey == idempotencyKey, cancellationToken);
        return row is null ? null : ActionMapper.ToRecord(row);
    }

    // The insert with its billing and audit in one explicit transaction: the quota's slow path (UsageMeter claims a
    // new chunk, waits near the limit, or refuses and the transaction rolls back). Returns whether the row was created.
    private async Task<bool> InsertInTransactionAsync(ActionRecord action, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = tx.GetDbTransaction();
        command.CommandText = InsertSql(dialect.Json("@payload"));
        AddInsertParameters((name, value) => StorageDialect.Add(command, name, value), action, dialect);
        if (await command.ExecuteScalarAsync(cancellationToken) is null or DBNull)
        {
            return false;
        }

        await meter.ChargeAsync(command.Connection!, command.Transaction, action, cancellationToken);
        await WebhookOutbox.WriteForCreatedAsync(command.Connection!, command.Transaction, dialect, action, cancellationToken);

        db.AuditEvents.Add(AuditRows.For(action, audit, action.CreatedAt));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }
}
