using Aegis.Core.Billing;
using Aegis.Core.Ports;
using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Aegis.Storage.Stores;

/// <summary><see cref="IBillingStore"/> over EF Core (usage events are written by <see cref="Billing.UsageMeter"/>).</summary>
public sealed class BillingStore(IDbContextFactory<AegisDbContext> contexts, StorageDialect dialect) : IBillingStore
{
    /// <inheritdoc />
    public async Task<string?> FindPlanNameAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenantId).Select(a => a.Plan).SingleOrDefaultAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> CountUsageAsync(string tenantId, string period, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UsageEvents.LongCountAsync(e => e.TenantId == tenantId && e.Period == period, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UsageEventRecord>> ListUsageAsync(string tenantId, string period, Guid? afterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // Ids are UUIDv7, so id order is creation order; C# has no ordering operator on Guid, hence the SQL for "after".
        var query = afterId is { } after
            ? db.UsageEvents.FromSqlRaw("SELECT * FROM usage_events WHERE id > {0}", dialect.Id(after))
            : db.UsageEvents;
        var rows = await query.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.Period == period)
            .OrderBy(e => e.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return rows.Select(e => new UsageEventRecord(e.Id, e.Period, e.OccurredAt)).ToList();
    }

    /// <inheritdoc />
    public async Task ChangePlanAsync(
        string tenantId, Plan plan, BillingPeriod current, DateTimeOffset at, Func<string?, AuditEntry> audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var transaction = tx.GetDbTransaction();

        Task<int> Execute(string sql, params (string Name, object? Value)[] parameters) =>
            RawSql.ExecuteAsync(connection, transaction, sql, cancellationToken, parameters);

        // The plan it replaces, for the audit event, read under the row's lock on PostgreSQL so that two concurrent
        // changes of one tenant record each other's plans in their order (SQLite runs one writer at a time).
        var previous = await RawSql.ScalarAsync(
            connection, transaction, $"SELECT plan FROM accounts WHERE tenant_id = @t{(dialect.IsPostgres ? " FOR UPDATE" : "")}", cancellationToken, ("@t", tenantId)) as string;

        // The plan first (a trusted-header tenant gets its account row here). Inserts that start after this commits
        // read the new plan.
        await Execute(
            """
            INSERT INTO accounts (tenant_id, email, plan, created_at, updated_at) VALUES (@t, NULL, @plan, @at, @at)
            ON CONFLICT (tenant_id) DO UPDATE SET plan = excluded.plan, updated_at = excluded.updated_at
            """,
            ("@t", tenantId),
            ("@plan", plan.Name),
            ("@at", dialect.Time(at)));

        // Re-base the period's ledger so that claimed = units actually used: lock the counter (no claim can run
        // meanwhile), give back the units parked in allotments (the DELETE waits for inserts that hold one, so
        // their usage events are committed before the count below), then set claimed to the usage count. Under
        // the new limit the next insert claims from there; a downgrade below the usage refuses at once.
        await Execute(Billing.UsageMeter.EnsureCounter, ("@t", tenantId), ("@p", current.Name));
        if (dialect.IsPostgres)
        {
            await Execute("SELECT claimed FROM quota_counters WHERE tenant_id = @t AND period = @p FOR UPDATE", ("@t", tenantId), ("@p", current.Name));
        }

        await Execute("DELETE FROM quota_allotments WHERE tenant_id = @t AND period = @p", ("@t", tenantId), ("@p", current.Name));
        await Execute(
            """
            UPDATE quota_counters
            SET claimed = (SELECT COUNT(*) FROM usage_events WHERE tenant_id = @t AND period = @p), last_grant = 0
            WHERE tenant_id = @t AND period = @p
            """,
            ("@t", tenantId),
            ("@p", current.Name));
        db.AuditEvents.Add(AuditRows.For(tenantId, audit(previous), at));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }
}
