using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Aegis.Storage.Stores;

/// <summary>
/// <see cref="IDeadlineStore"/>: one statement claims and decides overdue PENDING actions. On PostgreSQL the claim is
/// <c>FOR UPDATE SKIP LOCKED</c>, so replicas running the worker at once split the work instead of queuing on it, and
/// the outer <c>WHERE state = 'PENDING'</c> is re-checked under the row lock, so a human decision that committed first
/// wins and the action is never decided twice. SQLite has one writer at a time, so the conditional UPDATE suffices.
/// </summary>
public sealed class DeadlineStore(IDbContextFactory<AegisDbContext> contexts, StorageDialect dialect) : IDeadlineStore
{
    /// <summary>Who is recorded as deciding when a deadline passes.</summary>
    public const string TimeoutPrincipal = "timeout";

    /// <inheritdoc />
    public async Task<IReadOnlyList<ActionRecord>> ExpireDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var command = RawSql.Command(
            db.Database.GetDbConnection(),
            tx.GetDbTransaction(),
            $"""
            UPDATE actions SET
                state = CASE WHEN on_timeout = 'APPROVE' THEN 'APPROVED' ELSE 'EXPIRED' END,
                decision_outcome = CASE WHEN on_timeout = 'APPROVE' THEN 'APPROVE' ELSE 'REJECT' END,
                decided_by = @principal,
                decision_method = 'TIMEOUT',
                decision_reason = CASE WHEN on_timeout = 'APPROVE' THEN NULL ELSE 'DECISION_DEADLINE_PASSED' END,
                decision_retryable = FALSE,
                decided_at = @now,
                updated_at = @now,
                version = version + 1
            WHERE id IN (
                SELECT id FROM actions
                WHERE state = 'PENDING' AND decision_deadline <= @now
                ORDER BY decision_deadline
                LIMIT @limit
                {dialect.SkipLocked})
              AND state = 'PENDING'
            RETURNING id
            """,
            ("@now", dialect.Time(now)),
            ("@limit", limit),
            ("@principal", TimeoutPrincipal));

        var ids = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var raw = reader.GetValue(0);
                ids.Add(raw is Guid g ? g : Guid.Parse((string)raw));
            }
        }

        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await db.Actions.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);
        var records = rows.Select(ActionMapper.ToRecord).ToList();
        foreach (var action in records)
        {
            var audit = AuditEntry.Of(
                action.State == ActionState.Expired ? "action.expired" : "action.decided",
                TimeoutPrincipal,
                new Dictionary<string, object?>
                {
                    ["outcome"] = action.Decision?.Outcome.ToString().ToLowerInvariant(),
                    ["method"] = "timeout",
                    ["decision_deadline"] = action.DecisionDeadline,
                });
            db.AuditEvents.Add(AuditRows.For(action.TenantId, action.Id, audit, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return records;
    }
}
