using System.Data.Common;
using Aegis.Core.Actions;
using Aegis.Core.Webhooks;

namespace Aegis.Storage.Stores;

/// <summary>
/// The outbox insert: one <c>webhook_deliveries</c> row per enabled endpoint of the tenant subscribed to the event,
/// all with the same event id, written by the statement (or in the transaction) of the transition that raises it.
/// A tenant without such an endpoint gets no row — so nothing is written, relayed or cleaned up for tenants that do
/// not use webhooks — and the fan-out to endpoints happens here rather than in the relay, so the relay only ever
/// claims rows it must send.
/// </summary>
public static class WebhookOutbox
{
    private const string Columns =
        "INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, action_id, occurred_at, retry_from, state, attempts, next_attempt_at)";

    /// <summary>
    /// The data-modifying CTE for PostgreSQL's one-statement insert of a new key: fed by the CTE <c>a</c> (the
    /// inserted action; empty for a duplicate), parameters <c>@tenant_id</c> (the action's), <c>@event_id</c>, <c>@event_type</c> ('' when the new
    /// action raises none), <c>@event_pattern</c> and <c>@created_at</c>.
    /// </summary>
    public static readonly string NewActionCte = Cte("a", "@created_at");

    /// <summary>
    /// The same CTE for a statement whose CTE <paramref name="source"/> returned the changed action's <c>id</c> (no row:
    /// nothing is written), the event occurring at the parameter <paramref name="at"/>.
    /// </summary>
    public static string Cte(string source, string at) => $"""
        outbox AS (
            {Columns}
            SELECT e.tenant_id, e.id, @event_id, @event_type, {source}.id, {at}, {at}, 'PENDING', 0, {at}
            FROM {source} JOIN webhook_endpoints e ON e.tenant_id = @tenant_id
            WHERE e.enabled AND @event_type <> '' AND e.event_types LIKE @event_pattern)
        """;

    private const string Statement = $"""
        {Columns}
        SELECT e.tenant_id, e.id, @event_id, @event_type, @action_id, @occurred_at, @occurred_at, 'PENDING', 0, @occurred_at
        FROM webhook_endpoints e
        WHERE e.tenant_id = @tenant_id AND e.enabled AND e.event_types LIKE @event_pattern
        """;

    /// <summary>Adds the parameters of <see cref="NewActionCte"/> for a new action raising <paramref name="eventType"/> (or none).</summary>
    public static void AddNewActionParameters(Action<string, object?> add, string? eventType, StorageDialect dialect) =>
        AddParameters(add, eventType, Guid.CreateVersion7(), dialect);

    /// <summary>Adds the parameters of <see cref="Cte"/> (other than the tenant and the time) for <paramref name="eventType"/> (or none).</summary>
    public static void AddParameters(Action<string, object?> add, string? eventType, Guid eventId, StorageDialect dialect)
    {
        add("@event_id", dialect.Id(eventId));
        add("@event_type", eventType ?? "");
        add("@event_pattern", WebhookEventTypes.Pattern(eventType ?? ""));
    }

    /// <summary>Writes the deliveries of the event the new <paramref name="action"/> raises, if any, in <paramref name="transaction"/>.</summary>
    public static async Task WriteForCreatedAsync(
        DbConnection connection, DbTransaction transaction, StorageDialect dialect, ActionRecord action, CancellationToken cancellationToken)
    {
        if (WebhookEventTypes.ForCreated(action) is { } eventType)
        {
            await WriteAsync(connection, transaction, dialect, action.TenantId, action.Id, eventType, action.CreatedAt, cancellationToken);
        }
    }

    /// <summary>Writes the deliveries of the event in <paramref name="transaction"/>; returns how many endpoints get it.</summary>
    public static Task<int> WriteAsync(
        DbConnection connection, DbTransaction transaction, StorageDialect dialect, string tenantId, Guid actionId, string eventType, DateTimeOffset at, CancellationToken cancellationToken) =>
        RawSql.ExecuteAsync(
            connection,
            transaction,
            Statement,
            cancellationToken,
            ("@event_id", dialect.Id(Guid.CreateVersion7(at))),
            ("@event_type", eventType),
            ("@action_id", dialect.Id(actionId)),
            ("@occurred_at", dialect.Time(at)),
            ("@tenant_id", tenantId),
            ("@event_pattern", WebhookEventTypes.Pattern(eventType)));
}
