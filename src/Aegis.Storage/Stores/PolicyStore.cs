using Aegis.Core.Policies;
using Aegis.Core.Ports;
using Aegis.Storage.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Aegis.Storage.Stores;

/// <summary>
/// <see cref="IPolicyStore"/> over EF Core. A save inserts (tenant, highest + 1) with its audit row in one transaction;
/// the primary key decides between concurrent saves, and the loser simply takes the next number.
/// </summary>
public sealed class PolicyStore(IDbContextFactory<AegisDbContext> contexts, WriteGate writes) : IPolicyStore
{
    // Each retry follows a concurrent save that committed; the bound only guards against a bug turning this into a spin.
    private const int MaxRaces = 16;

    /// <inheritdoc />
    public async Task<PolicyVersion> SaveAsync(
        string tenantId, PolicyDocument document, string createdBy, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
    {
        var json = PolicyJson.Serialize(document);
        for (var race = 0; race < MaxRaces; race++)
        {
            using var turn = await writes.EnterAsync(cancellationToken);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var version = 1 + (await db.Policies.Where(p => p.TenantId == tenantId).MaxAsync(p => (long?)p.Version, cancellationToken) ?? 0);
            db.Policies.Add(new PolicyEntity
            {
                TenantId = tenantId,
                Version = version,
                Name = document.Name,
                Document = json,
                CreatedBy = createdBy,
                CreatedAt = at,
            });
            db.AuditEvents.Add(AuditRows.For(tenantId, audit with { DataJson = WithVersion(audit.DataJson, version) }, at));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
                return new PolicyVersion(tenantId, version, document, createdBy, at);
            }
            catch (DbUpdateException ex) when (IsUniqueViolation(ex))
            {
                // Another save took this number first: try again with the next one.
            }
        }

        throw new InvalidOperationException($"Lost {MaxRaces} policy saves in a row for one tenant.");
    }

    /// <inheritdoc />
    public async Task<PolicyVersion?> FindCurrentAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Policies.AsNoTracking()
            .Where(p => p.TenantId == tenantId)
            .OrderByDescending(p => p.Version)
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PolicyVersion>> ListAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Policies.AsNoTracking()
            .Where(p => p.TenantId == tenantId)
            .OrderByDescending(p => p.Version)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return rows.Select(ToRecord).ToList();
    }

    private static PolicyVersion ToRecord(PolicyEntity e) =>
        new(e.TenantId, e.Version, PolicyJson.Deserialize(e.Document), e.CreatedBy, e.CreatedAt);

    // The version is known only here, so the audit event gets it added here.
    private static string WithVersion(string dataJson, long version)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(dataJson)!.AsObject();
        node["version"] = version;
        return node.ToJsonString();
    }

    private static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        _ => false,
    };
}
