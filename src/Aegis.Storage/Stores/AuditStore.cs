using System.Runtime.CompilerServices;
using Aegis.Core.Audit;
using Aegis.Core.Ports;
using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Aegis.Storage.Stores;

/// <summary>
/// <see cref="IAuditStore"/> over EF Core, for both backends. Sealing a tenant is one transaction that holds the
/// tenant's <c>audit_chain_heads</c> row (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL: a second sealer skips the
/// tenant instead of waiting; SQLite runs one writer at a time behind the <see cref="WriteGate"/>), writes each link
/// only onto a row that is still unsealed, and moves the head only if it is still where it was read (compare-and-set
/// on <c>last_sequence</c>); any miss rolls the whole step back. See docs/audit.md for why the chain cannot fork.
/// </summary>
public sealed class AuditStore(IDbContextFactory<AegisDbContext> contexts, StorageDialect dialect, WriteGate writes) : IAuditStore
{
    /// <summary>Rows read per page when walking a chain.</summary>
    public const int ChainPage = 1000;

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEventRecord>> ListAsync(string tenantId, AuditQuery query, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = Filter(db, tenantId, query);
        if (beforeId is { } before)
        {
            rows = rows.Where(e => e.Id < before);
        }

        return (await rows.OrderByDescending(e => e.Id).Take(limit).ToListAsync(cancellationToken)).Select(ToRecord).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEventRecord>> ListForwardAsync(string tenantId, AuditQuery query, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await Filter(db, tenantId, query).Where(e => e.Id > afterId).OrderBy(e => e.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(ToRecord).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> TenantsWithUnsealedAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditEvents.Where(e => e.Hash == null && e.Sequence == null).Select(e => e.TenantId).Distinct().Take(limit).ToListAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> SealAsync(string tenantId, int limit, Func<AuditChainHead, IReadOnlyList<AuditEventRecord>, SealPlan> plan, CancellationToken cancellationToken)
    {
        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var transaction = tx.GetDbTransaction();

        Task<int> Execute(string sql, params (string Name, object? Value)[] parameters) =>
            RawSql.ExecuteAsync(connection, transaction, sql, cancellationToken, parameters);

        // The head row exists before anyone seals (a concurrent first insert waits for ours, then does nothing).
        await Execute(
            "INSERT INTO audit_chain_heads (tenant_id, last_sequence, last_id, last_hash, updated_at) VALUES (@t, 0, 0, '', @now) ON CONFLICT (tenant_id) DO NOTHING",
            ("@t", tenantId),
            ("@now", dialect.Time(DateTimeOffset.UtcNow)));

        // Only a constant is spliced in (the dialect's claim clause); the tenant is a parameter.
        var claim = "SELECT * FROM audit_chain_heads WHERE tenant_id = {0} " + dialect.SkipLocked;
        var claimed = await db.AuditChainHeads
            .FromSqlRaw(claim, tenantId)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return 0; // another sealer holds this tenant's chain: it is sealing it right now
        }

        var h = claimed[0];
        var head = new AuditChainHead(tenantId, h.LastSequence, h.LastId, h.LastHash, h.CheckpointedAt);
        var unsealed = await db.AuditEvents.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.Hash == null && e.Sequence == null)
            .OrderBy(e => e.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        if (unsealed.Count == 0)
        {
            return 0;
        }

        var step = plan(head, unsealed.Select(ToRecord).ToList());
        foreach (var link in step.Links)
        {
            var written = await Execute(
                "UPDATE audit_events SET sequence = @s, prev_id = @p, hash = @h WHERE tenant_id = @t AND id = @id AND hash IS NULL AND sequence IS NULL",
                ("@s", link.Sequence),
                ("@p", link.PrevId),
                ("@h", link.Hash),
                ("@t", tenantId),
                ("@id", link.EventId));
            if (written != 1)
            {
                return 0; // the row was sealed (or changed) meanwhile: roll back, the next round starts over
            }
        }

        var moved = await Execute(
            """
            UPDATE audit_chain_heads SET last_sequence = @s, last_id = @id, last_hash = @h, checkpointed_at = @c, updated_at = @now
            WHERE tenant_id = @t AND last_sequence = @from
            """,
            ("@s", step.Head.LastSequence),
            ("@id", step.Head.LastId),
            ("@h", step.Head.LastHash),
            ("@c", dialect.Time(step.Head.CheckpointedAt)),
            ("@now", dialect.Time(DateTimeOffset.UtcNow)),
            ("@t", tenantId),
            ("@from", head.LastSequence));
        if (moved != 1)
        {
            return 0; // the head moved since it was read: another sealer extended the chain; ours is rolled back
        }

        if (step.Checkpoint is { } c)
        {
            await Execute(
                "INSERT INTO audit_checkpoints (tenant_id, last_sealed_id, count, hash, sealed_at) VALUES (@t, @id, @n, @h, @at)",
                ("@t", tenantId),
                ("@id", c.LastSealedId),
                ("@n", c.Sequence),
                ("@h", c.Hash),
                ("@at", dialect.Time(c.SealedAt)));
        }

        await tx.CommitAsync(cancellationToken);
        return step.Links.Count;
    }

    /// <inheritdoc />
    public async Task<AuditChainHead> FindHeadAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var h = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(x => x.TenantId == tenantId, cancellationToken);
        return h is null ? AuditChainHead.Empty(tenantId) : new AuditChainHead(tenantId, h.LastSequence, h.LastId, h.LastHash, h.CheckpointedAt);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEventRecord> ReadChainAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var after = 0L; ;)
        {
            List<AuditEventRecord> page;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                var from = after;
                page = (await db.AuditEvents.AsNoTracking()
                    .Where(e => e.TenantId == tenantId && e.Sequence != null && e.Sequence > from)
                    .OrderBy(e => e.Sequence)
                    .Take(ChainPage)
                    .ToListAsync(cancellationToken)).Select(ToRecord).ToList();
            }

            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < ChainPage)
            {
                break;
            }

            after = page[^1].Sequence!.Value;
        }

        // Rows with a hash that no sealer gave a position: only a writer around the stores makes them.
        for (var after = 0L; ;)
        {
            List<AuditEventRecord> page;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                var from = after;
                page = (await db.AuditEvents.AsNoTracking()
                    .Where(e => e.TenantId == tenantId && e.Sequence == null && e.Hash != null && e.Id > from)
                    .OrderBy(e => e.Id)
                    .Take(ChainPage)
                    .ToListAsync(cancellationToken)).Select(ToRecord).ToList();
            }

            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < ChainPage)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditCheckpoint> ReadCheckpointsAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var after = 0L; ;)
        {
            List<AuditCheckpointEntity> page;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                var from = after;
                page = await db.AuditCheckpoints.AsNoTracking()
                    .Where(c => c.TenantId == tenantId && c.Count > from)
                    .OrderBy(c => c.Count)
                    .Take(ChainPage)
                    .ToListAsync(cancellationToken);
            }

            foreach (var c in page)
            {
                yield return new AuditCheckpoint(c.TenantId, c.LastSealedId, c.Count, c.Hash, c.SealedAt);
            }

            if (page.Count < ChainPage)
            {
                yield break;
            }

            after = page[^1].Count;
        }
    }

    /// <inheritdoc />
    public async Task<long> CountUnsealedAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditEvents.LongCountAsync(e => e.TenantId == tenantId && e.Hash == null && e.Sequence == null, cancellationToken);
    }

    private static IQueryable<AuditEventEntity> Filter(AegisDbContext db, string tenantId, AuditQuery q)
    {
        var rows = db.AuditEvents.AsNoTracking().Where(e => e.TenantId == tenantId);
        if (q.RequestId is { } requestId)
        {
            rows = rows.Where(e => e.ActionId == requestId);
        }

        if (q.ThreadId is { } thread)
        {
            rows = rows.Where(e => e.ThreadId == thread);
        }

        if (q.Actor is { } actor)
        {
            rows = rows.Where(e => e.Actor == actor);
        }

        if (q.Kind is { } kind)
        {
            rows = kind.EndsWith('.') ? rows.Where(e => e.Kind.StartsWith(kind)) : rows.Where(e => e.Kind == kind);
        }

        if (q.Since is { } since)
        {
            rows = rows.Where(e => e.OccurredAt >= since);
        }

        if (q.Until is { } until)
        {
            rows = rows.Where(e => e.OccurredAt < until);
        }

        return rows;
    }

    private static AuditEventRecord ToRecord(AuditEventEntity e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        Kind = e.Kind,
        Actor = e.Actor,
        ActorMethod = e.ActorMethod,
        ActionId = e.ActionId,
        ThreadId = e.ThreadId,
        CauseRequestId = e.CauseRequestId,
        OccurredAt = e.OccurredAt,
        BeforeJson = e.Before,
        AfterJson = e.After,
        DataJson = e.Data,
        Sequence = e.Sequence,
        PrevId = e.PrevId,
        Hash = e.Hash,
    };
}
