using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage.Stores;

/// <summary>
/// <see cref="IExecutionStore"/> over EF Core, for both backends. Every transition is one
/// <c>UPDATE actions SET … WHERE tenant_id AND id AND state = @expected AND (version | fencing_token) = @expected</c>
/// in a transaction with its audit row; the reaper claims its rows with <c>FOR UPDATE SKIP LOCKED</c> on
/// PostgreSQL, so replicas never wait on each other's batch (SQLite serializes writers and relies on the
/// conditional UPDATE alone).
/// </summary>
public sealed class ExecutionStore(IDbContextFactory<AegisDbContext> contexts, StorageDialect dialect) : IExecutionStore
{
    private static readonly string Executing = ActionMapper.Name(ActionState.Executing);

    /// <inheritdoc />
    public Task<ActionRecord?> TryUpdateAsync(
        string tenantId, Guid id, ActionState expectedState, long expectedVersion, ExecutionChange change, AuditEntry? audit, CancellationToken cancellationToken)
    {
        var expected = ActionMapper.Name(expectedState);
        return UpdateAsync(tenantId, id, q => q.Where(a => a.State == expected && a.Version == expectedVersion), change, audit, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ActionRecord?> TryUpdateLeasedAsync(
        string tenantId, Guid id, long fencingToken, ExecutionChange change, AuditEntry? audit, CancellationToken cancellationToken) =>
        UpdateAsync(tenantId, id, q => q.Where(a => a.State == Executing && a.FencingToken == fencingToken), change, audit, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ActionRecord>> ReapExpiredLeasesAsync(
        DateTimeOffset now, int batchSize, Func<ActionRecord, (ExecutionChange Change, AuditEntry Audit)> decide, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // The only text spliced in is the dialect's constant claim clause; values are parameters.
        var claim = $$"""
            SELECT * FROM actions
            WHERE state = 'EXECUTING' AND lease_expires_at <= {0}
            ORDER BY lease_expires_at
            LIMIT {1}
            {{dialect.SkipLocked}}
            """;
        var expired = await db.Actions
            .FromSqlRaw(claim, dialect.Time(now), batchSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken);

        var changedIds = new List<Guid>();
        foreach (var row in expired)
        {
            var (change, audit) = decide(ActionMapper.ToRecord(row));
            var version = row.Version;

            // On PostgreSQL the row is locked, so this cannot miss; on SQLite it is the compare-and-set itself.
            var changed = await Set(
                    db.Actions.Where(a => a.Id == row.Id && a.State == Executing && a.Version == version), change, cancellationToken);
            if (changed == 1)
            {
                db.AuditEvents.Add(AuditRows.For(row.TenantId, row.Id, audit, change.At));
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
    public async Task<int> PurgeAsync(IReadOnlyCollection<ActionState> states, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        var names = states.Select(ActionMapper.Name).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The states are inlined as constants (not an array parameter) so PostgreSQL can match the partial index
        // ix_actions_finished_updated_at; the oldest rows go first.
        return await db.Actions
            .Where(a => EF.Constant(names).Contains(a.State) && a.UpdatedAt < cutoff)
            .OrderBy(a => a.UpdatedAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<ActionRecord?> UpdateAsync(
        string tenantId, Guid id, Func<IQueryable<ActionEntity>, IQueryable<ActionEntity>> guard, ExecutionChange change, AuditEntry? audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await Set(guard(db.Actions.Where(a => a.TenantId == tenantId && a.Id == id)), change, cancellationToken);
        if (changed == 0)
        {
            return null;
        }

        if (audit is not null)
        {
            db.AuditEvents.Add(AuditRows.For(tenantId, id, audit, change.At));
            await db.SaveChangesAsync(cancellationToken);
        }

        var row = await db.Actions.AsNoTracking().SingleAsync(a => a.TenantId == tenantId && a.Id == id, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return ActionMapper.ToRecord(row);
    }

    private static Task<int> Set(IQueryable<ActionEntity> rows, ExecutionChange change, CancellationToken cancellationToken)
    {
        var state = ActionMapper.Name(change.State);
        return rows.ExecuteUpdateAsync(
            s => s
                .SetProperty(a => a.State, state)
                .SetProperty(a => a.FencingToken, change.FencingToken)
                .SetProperty(a => a.LeaseExpiresAt, change.LeaseExpiresAt)
                .SetProperty(a => a.Attempts, change.Attempts)
                .SetProperty(a => a.Result, change.ResultJson)
                .SetProperty(a => a.Error, change.ErrorJson)
                .SetProperty(a => a.UpdatedAt, change.At)
                .SetProperty(a => a.Version, a => a.Version + 1),
            cancellationToken);
    }
}
