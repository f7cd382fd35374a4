using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Aegis.Core.Watching;
using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage.Stores;

/// <summary><see cref="IActionInbox"/> over EF Core: tenant-scoped, read-only queries.</summary>
/// <param name="contexts">EF Core contexts of the configured backend.</param>
/// <param name="dialect">The backend's SQL differences.</param>
/// <param name="reader">Reads by id without EF Core, registered on PostgreSQL only.</param>
public sealed class ActionInbox(IDbContextFactory<AegisDbContext> contexts, StorageDialect dialect, PostgresActionReader? reader = null) : IActionInbox
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<ActionRecord>> ListAsync(
        string tenantId, ActionFilter filter, Guid? before, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        IQueryable<Entities.ActionEntity> query = db.Actions.AsNoTracking();
        if (before is { } cursor)
        {
            // Ids are UUIDv7: their order is creation order on both backends (uuid bytes on PostgreSQL, upper-case
            // hex text on SQLite), so keyset paging by id is stable while new actions arrive.
            query = db.Actions.FromSqlRaw("SELECT * FROM actions WHERE id < {0}", dialect.Id(cursor)).AsNoTracking();
        }

        query = query.Where(a => a.TenantId == tenantId);
        if (filter.State is { } s)
        {
            var name = ActionMapper.Name(s);
            query = query.Where(a => a.State == name);
        }

        if (filter.ThreadId is { } threadId)
        {
            query = query.Where(a => a.ThreadId == threadId);
        }

        if (filter.CreatedSince is { } since)
        {
            query = query.Where(a => a.CreatedAt >= since);
        }

        if (filter.CreatedBefore is { } until)
        {
            query = query.Where(a => a.CreatedAt < until);
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(ActionMapper.ToRecord).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ActionRecord>> FindChangedAsync(
        IReadOnlyCollection<Guid> ids, IReadOnlyCollection<string> tenantIds, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        if (ids.Count == 0 && tenantIds.Count == 0)
        {
            return [];
        }

        // Notified ids only (what every replica reads after a notice from another one): one prepared statement.
        if (reader is not null && tenantIds.Count == 0)
        {
            return await reader.FindManyAsync([.. ids], limit, cancellationToken);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var idList = ids.ToList();
        var tenants = tenantIds.ToList();
        var rows = await db.Actions.AsNoTracking()
            .Where(a => idList.Contains(a.Id) || (tenants.Contains(a.TenantId) && a.UpdatedAt >= since))
            .OrderBy(a => a.UpdatedAt)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return rows.Select(ActionMapper.ToRecord).ToList();
    }
}
