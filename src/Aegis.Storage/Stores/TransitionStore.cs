using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Aegis.Core.Webhooks;
using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Aegis.Storage.Stores;

/// <summary>
/// <see cref="ITransitionStore"/> over EF Core, for both backends (on PostgreSQL a single transition is
/// <see cref="PostgresTransitionWriter"/>'s one statement). It persists what Core's state machine decided and
/// decides nothing: every transition is one <c>UPDATE actions SET … WHERE tenant_id AND id AND state = @from AND
/// version = @from</c> writing the target row, in a transaction with its audit row. Workers claim due rows with
/// <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, so replicas split the work instead of queuing on it (SQLite serializes
/// writers — and the <see cref="WriteGate"/> keeps this replica's writes one at a time there — and relies on the
/// compare-and-set alone). A transition that raises a webhook event (<see cref="WebhookEventTypes.For"/>) writes its
/// outbox rows in the same transaction (<see cref="WebhookOutbox"/>) when the tenant has endpoints
/// (<see cref="WebhookTenantFlags"/>).
/// </summary>
/// <param name="contexts">EF Core contexts of the configured backend.</param>
/// <param name="dialect">The backend's SQL differences.</param>
/// <param name="writes">The embedded backend's single writer (open on PostgreSQL).</param>
/// <param name="webhooks">Which tenants have webhook endpoints.</param>
/// <param name="postgres">The one-statement transition, registered on PostgreSQL only.</param>
public sealed class TransitionStore(
    IDbContextFactory<AegisDbContext> contexts, StorageDialect dialect, WriteGate writes, WebhookTenantFlags webhooks, PostgresTransitionWriter? postgres = null)
    : ITransitionStore
{
    /// <inheritdoc />
    public async Task<ActionRecord?> TryApplyAsync(ActionTransition transition, CancellationToken cancellationToken)
    {
        var from = transition.From;
        var eventType = WebhookEventTypes.For(transition);
        var announce = eventType is not null && await webhooks.HasEndpointsAsync(from.TenantId, cancellationToken);
        if (postgres is not null)
        {
            return await postgres.TryApplyAsync(transition, announce ? eventType : null, cancellationToken);
        }

        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await SetAsync(db, transition, cancellationToken) == 0)
        {
            return null;
        }

        if (announce)
        {
            await AnnounceAsync(db, tx, transition, eventType!, cancellationToken);
        }

        if (transition.Audit is not null)
        {
            db.AuditEvents.AddRange(transition.AllAudit.Select(audit => AuditRows.For(from, audit, transition.To.UpdatedAt)));
            await db.SaveChangesAsync(cancellationToken);
        }

        // Read back rather than trust the target: what callers are told is what the database keeps (jsonb, say).
        var row = await db.Actions.AsNoTracking().SingleAsync(a => a.TenantId == from.TenantId && a.Id == from.Id, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return ActionMapper.ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ActionRecord>> ApplyToDueAsync(
        ActionTimer timer, DateTimeOffset now, int limit, Func<ActionRecord, ActionTransition?> decide, CancellationToken cancellationToken)
    {
        // The state is a constant from Core's table, inlined so PostgreSQL matches the partial index on the timer.
        var state = ActionMapper.Name(ActionStateMachine.WaitingOn(timer));
        var column = timer switch
        {
            ActionTimer.DecisionDeadline => "decision_deadline",
            ActionTimer.LeaseExpiry => "lease_expires_at",
            ActionTimer.Escalation => "escalate_at",
            _ => throw new ArgumentOutOfRangeException(nameof(timer), timer, null),
        };

        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // Only constants are spliced in (a column name, a state name, the dialect's claim clause); values are parameters.
        var claim = $$"""
            SELECT * FROM actions
            WHERE state = '{{state}}' AND {{column}} <= {0}
            ORDER BY {{column}}
            LIMIT {1}
            {{dialect.SkipLocked}}
            """;
        var due = await db.Actions.FromSqlRaw(claim, dialect.Time(now), limit).AsNoTracking().ToListAsync(cancellationToken);

        var changedIds = new List<Guid>();
        foreach (var row in due)
        {
            if (decide(ActionMapper.ToRecord(row)) is not { } transition)
            {
                continue;
            }

            // On PostgreSQL the row is locked, so this cannot miss; on SQLite it is the compare-and-set itself.
            if (await SetAsync(db, transition, cancellationToken) == 1)
            {
                db.AuditEvents.AddRange(transition.AllAudit.Select(audit => AuditRows.For(transition.From, audit, transition.To.UpdatedAt)));

                if (WebhookEventTypes.For(transition) is { } eventType && await webhooks.HasEndpointsAsync(row.TenantId, cancellationToken))
                {
                    await AnnounceAsync(db, tx, transition, eventType, cancellationToken);
                }

                changedIds.Add(row.Id);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var rows = changedIds.Count == 0
            ? []
            : await db.Actions.AsNoTracking().Where(a => changedIds.Contains(a.Id)).ToListAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return rows.Select(ActionMapper.ToRecord).ToList();
    }

    /// <inheritdoc />
    public async Task<int> PurgeAsync(IReadOnlyCollection<ActionState> states, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        var names = states.Select(ActionMapper.Name).ToList();
        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The states are inlined as constants (not an array parameter) so PostgreSQL can match the partial index
        // ix_actions_finished_updated_at; the oldest rows go first.
        return await db.Actions
            .Where(a => EF.Constant(names).Contains(a.State) && a.UpdatedAt < cutoff)
            .OrderBy(a => a.UpdatedAt)
            .Take(limit)
            .ExecuteDeleteAsync(cancellationToken);
    }

    private Task<int> AnnounceAsync(AegisDbContext db, IDbContextTransaction tx, ActionTransition transition, string eventType, CancellationToken cancellationToken) =>
        WebhookOutbox.WriteAsync(
            db.Database.GetDbConnection(), tx.GetDbTransaction(), dialect, transition.From.TenantId, transition.From.Id, eventType, transition.To.UpdatedAt, cancellationToken);

    // The compare-and-set: every column a transition may change, written from Core's target row, only if the row is
    // still the one Core judged (same state, same version).
    private static Task<int> SetAsync(AegisDbContext db, ActionTransition transition, CancellationToken cancellationToken)
    {
        var (from, to) = (transition.From, transition.To);
        var gate = GateChanges.Of(transition);
        var fromState = ActionMapper.Name(from.State);
        var state = ActionMapper.Name(to.State);
        var d = to.Decision;
        var (outcome, decidedBy, method, policy) = (d is null ? null : ActionMapper.Name(d.Outcome), d?.Principal, d is null ? null : ActionMapper.Name(d.Method), d?.Policy);
        var (comment, reason, retryable, decidedAt) = (d?.Comment, d?.Reason, d?.Retryable ?? false, d?.DecidedAt);
        return db.Actions
            .Where(a => a.TenantId == from.TenantId && a.Id == from.Id && a.State == fromState && a.Version == from.Version)
            .ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(a => a.State, state)
                        .SetProperty(a => a.DecisionOutcome, outcome)
                        .SetProperty(a => a.DecidedBy, decidedBy)
                        .SetProperty(a => a.DecisionMethod, method)
                        .SetProperty(a => a.DecisionPolicy, policy)
                        .SetProperty(a => a.DecisionComment, comment)
                        .SetProperty(a => a.DecisionReason, reason)
                        .SetProperty(a => a.DecisionRetryable, retryable)
                        .SetProperty(a => a.DecidedAt, decidedAt)
                        .SetProperty(a => a.FencingToken, to.FencingToken)
                        .SetProperty(a => a.LeaseExpiresAt, to.LeaseExpiresAt)
                        .SetProperty(a => a.Attempts, to.Attempts)
                        .SetProperty(a => a.Result, to.ResultJson)
                        .SetProperty(a => a.Error, to.ErrorJson)
                        .SetProperty(a => a.UpdatedAt, to.UpdatedAt)
                        .SetProperty(a => a.Version, to.Version);

                    // The gate's columns are written only by the transitions that change them.
                    if (gate.Approvals)
                    {
                        s.SetProperty(a => a.Approvals, ApprovalsColumn.Write(to.Approvals));
                    }

                    if (gate.Edit && to.Edit is { } edit)
                    {
                        s.SetProperty(a => a.Payload, to.PayloadJson)
                            .SetProperty(a => a.PayloadHash, to.PayloadHash)
                            .SetProperty(a => a.OriginalPayload, edit.OriginalPayloadJson)
                            .SetProperty(a => a.PayloadPatch, edit.PatchJson)
                            .SetProperty(a => a.EditedBy, edit.EditedBy)
                            .SetProperty(a => a.EditedAt, edit.EditedAt)
                            .SetProperty(a => a.EditComment, edit.Comment);
                    }

                    if (gate.Escalation)
                    {
                        s.SetProperty(a => a.EscalateAt, to.EscalateAt).SetProperty(a => a.EscalatedAt, to.EscalatedAt);
                    }
                },
                cancellationToken);
    }
}
