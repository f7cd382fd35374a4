using Aegis.Core.Ports;
using Aegis.Core.Webhooks;
using Aegis.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Aegis.Storage.Stores;

/// <summary>
/// <see cref="IWebhookStore"/> over EF Core, for both backends. The relay's claim is <c>SELECT … FOR UPDATE SKIP
/// LOCKED</c> on PostgreSQL followed, in the same transaction, by pushing each claimed row's <c>next_attempt_at</c> a
/// lease ahead and counting the attempt; on SQLite the claim runs under this replica's <see cref="WriteGate"/> turn
/// and SQLite's single writer.
/// </summary>
public sealed class WebhookStore(IDbContextFactory<AegisDbContext> contexts, StorageDialect dialect, WriteGate writes, WebhookTenantFlags flags) : IWebhookStore
{
    private const string Pending = "PENDING";

    /// <inheritdoc />
    public async Task CreateEndpointAsync(WebhookEndpoint endpoint, string sealedSecret, AuditEntry audit, CancellationToken cancellationToken)
    {
        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.WebhookEndpoints.Add(new WebhookEndpointEntity
        {
            Id = endpoint.Id,
            TenantId = endpoint.TenantId,
            Url = endpoint.Url,
            EventTypes = WebhookEventTypes.Encode(endpoint.EventTypes),
            Flavour = endpoint.Flavour.ToString().ToUpperInvariant(),
            IncludePayload = endpoint.IncludePayload,
            Enabled = endpoint.Enabled,
            Description = endpoint.Description,
            SecretSealed = sealedSecret,
            CreatedAt = endpoint.CreatedAt,
            UpdatedAt = endpoint.UpdatedAt,
        });
        db.AuditEvents.Add(AuditRows.For(endpoint.TenantId, audit, endpoint.CreatedAt));
        await db.SaveChangesAsync(cancellationToken);
        flags.Forget(endpoint.TenantId);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.WebhookEndpoints.AsNoTracking().Where(e => e.TenantId == tenantId).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Select(ToRecord)];
    }

    /// <inheritdoc />
    public async Task<WebhookEndpoint?> SetEnabledAsync(string tenantId, Guid endpointId, bool enabled, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
    {
        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.TenantId == tenantId && e.Id == endpointId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        row.Enabled = enabled;
        row.UpdatedAt = at;
        db.AuditEvents.Add(AuditRows.For(tenantId, audit, at));
        await db.SaveChangesAsync(cancellationToken);
        flags.Forget(tenantId);
        return ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteEndpointAsync(string tenantId, Guid endpointId, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
    {
        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // The attempts and deliveries go with it (ON DELETE CASCADE).
        if (await db.WebhookEndpoints.Where(e => e.TenantId == tenantId && e.Id == endpointId).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return false;
        }

        db.AuditEvents.Add(AuditRows.For(tenantId, audit, at));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        flags.Forget(tenantId);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookDelivery>?> ListDeliveriesAsync(string tenantId, Guid endpointId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.WebhookEndpoints.AnyAsync(e => e.TenantId == tenantId && e.Id == endpointId, cancellationToken))
        {
            return null;
        }

        var deliveries = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.EndpointId == endpointId)
            .OrderByDescending(d => d.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        var ids = deliveries.Select(d => d.Id).ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(cancellationToken))
            .ToLookup(a => a.DeliveryId);
        return [.. deliveries.Select(d => ToRecord(d, attempts[d.Id]))];
    }

    /// <inheritdoc />
    public async Task<WebhookDelivery?> RedeliverAsync(string tenantId, Guid endpointId, Guid eventId, DateTimeOffset now, AuditEntry audit, CancellationToken cancellationToken)
    {
        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.WebhookDeliveries.SingleOrDefaultAsync(
            d => d.TenantId == tenantId && d.EndpointId == endpointId && d.EventId == eventId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        row.State = Pending;
        row.NextAttemptAt = now;
        row.RetryFrom = now;
        db.AuditEvents.Add(AuditRows.For(tenantId, audit, now));
        await db.SaveChangesAsync(cancellationToken);
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == row.Id).ToListAsync(cancellationToken);
        return ToRecord(row, attempts);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // Only constants are spliced in (the state and the dialect's claim clause); values are parameters.
        var claim = $$"""
            SELECT * FROM webhook_deliveries
            WHERE state = '{{Pending}}' AND next_attempt_at <= {0}
              AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled)
            ORDER BY next_attempt_at
            LIMIT {1}
            {{dialect.SkipLocked}}
            """;
        var due = await db.WebhookDeliveries.FromSqlRaw(claim, dialect.Time(now), limit).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return [];
        }

        foreach (var row in due)
        {
            row.Attempts++;
            row.NextAttemptAt = now + lease;
        }

        await db.SaveChangesAsync(cancellationToken);
        var endpointIds = due.Select(d => d.EndpointId).Distinct().ToList();
        var actionIds = due.Select(d => d.ActionId).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        var actions = await db.Actions.AsNoTracking().Where(a => actionIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        await tx.CommitAsync(cancellationToken);

        return [.. due.Select(d => new ClaimedDelivery(
            d.Id,
            d.Attempts,
            d.EventId,
            d.EventType,
            d.OccurredAt,
            d.RetryFrom,
            ToRecord(endpoints[d.EndpointId]),
            endpoints[d.EndpointId].SecretSealed,
            actions.TryGetValue(d.ActionId, out var action) && action.TenantId == d.TenantId ? ActionMapper.ToRecord(action) : null))];
    }

    /// <inheritdoc />
    public async Task<bool> RecordAttemptAsync(ClaimedDelivery claimed, WebhookAttemptResult result, CancellationToken cancellationToken)
    {
        var state = result.State.ToString().ToUpperInvariant();
        using var turn = await writes.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // Fenced by the attempt number: a relay whose claim ran out and was taken over records nothing.
        var changed = await db.WebhookDeliveries
            .Where(d => d.Id == claimed.DeliveryId && d.Attempts == claimed.Attempt && d.State == Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, state).SetProperty(d => d.NextAttemptAt, result.NextAttemptAt), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        db.WebhookAttempts.Add(new WebhookAttemptEntity
        {
            DeliveryId = claimed.DeliveryId,
            Attempt = claimed.Attempt,
            StatusCode = result.StatusCode,
            Error = result.Error is { Length: > 500 } e ? e[..500] : result.Error,
            At = result.At,
            NextAttemptAt = result.NextAttemptAt,
        });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    private static WebhookEndpoint ToRecord(WebhookEndpointEntity e) => new(
        e.Id,
        e.TenantId,
        e.Url,
        WebhookEventTypes.Decode(e.EventTypes),
        Enum.TryParse<WebhookFlavour>(e.Flavour, ignoreCase: true, out var flavour) ? flavour : WebhookFlavour.Generic,
        e.IncludePayload,
        e.Enabled,
        e.Description,
        e.CreatedAt,
        e.UpdatedAt);

    private static WebhookDelivery ToRecord(WebhookDeliveryEntity d, IEnumerable<WebhookAttemptEntity> attempts) => new(
        d.Id,
        d.EndpointId,
        d.EventId,
        d.EventType,
        d.ActionId,
        Enum.TryParse<WebhookDeliveryState>(d.State, ignoreCase: true, out var state) ? state : WebhookDeliveryState.Pending,
        d.Attempts,
        d.NextAttemptAt,
        d.OccurredAt,
        [.. attempts.OrderByDescending(a => a.Attempt).ThenByDescending(a => a.Id).Select(a => new WebhookAttempt(a.Attempt, a.StatusCode, a.Error, a.At, a.NextAttemptAt))]);
}
