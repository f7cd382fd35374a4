using System.Text.Json;
using Aegis.Core.Mcp;
using Aegis.Core.Ports;
using Aegis.Storage.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Aegis.Storage.Stores;

/// <summary><see cref="IMcpUpstreamStore"/> over EF Core. The unique (tenant, name) index decides between concurrent registrations.</summary>
public sealed class McpUpstreamStore(IDbContextFactory<AegisDbContext> contexts, TimeProvider time) : IMcpUpstreamStore
{
    /// <inheritdoc />
    public async Task<bool> InsertAsync(McpUpstreamRecord upstream, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.McpUpstreams.Add(new McpUpstreamEntity
        {
            Id = upstream.Id,
            TenantId = upstream.TenantId,
            Name = upstream.Name,
            Url = upstream.Url.ToString(),
            AuthHeaderProtected = upstream.ProtectedAuthHeader,
            GatedTools = JsonSerializer.Serialize(upstream.GatedTools),
            DecisionTimeoutSeconds = (long)upstream.DecisionTimeout.TotalSeconds,
            CreatedAt = upstream.CreatedAt,
            CreatedBy = upstream.CreatedBy,
        });
        db.AuditEvents.Add(AuditRows.For(upstream.TenantId, audit, upstream.CreatedAt));
        try
        {
            // One SaveChanges, one transaction: the upstream and its audit event exist together or not at all.
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<McpUpstreamRecord?> FindAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.McpUpstreams.AsNoTracking().SingleOrDefaultAsync(u => u.TenantId == tenantId && u.Name == name, cancellationToken);
        return row is null ? null : ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<McpUpstreamRecord>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.McpUpstreams.AsNoTracking().Where(u => u.TenantId == tenantId).OrderBy(u => u.Name).ToListAsync(cancellationToken);
        return rows.Select(ToRecord).ToList();
    }

    /// <inheritdoc />
    public async Task RecordAsync(string tenantId, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AuditEvents.Add(AuditRows.For(tenantId, audit, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static McpUpstreamRecord ToRecord(McpUpstreamEntity e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        Name = e.Name,
        Url = new Uri(e.Url),
        ProtectedAuthHeader = e.AuthHeaderProtected,
        GatedTools = JsonSerializer.Deserialize<string[]>(e.GatedTools) ?? [],
        DecisionTimeout = TimeSpan.FromSeconds(e.DecisionTimeoutSeconds),
        CreatedAt = e.CreatedAt,
        CreatedBy = e.CreatedBy,
    };

    private static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        _ => false,
    };
}
