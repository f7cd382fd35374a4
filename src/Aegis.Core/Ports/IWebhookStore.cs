using Aegis.Core.Webhooks;

namespace Aegis.Core.Ports;

/// <summary>
/// Webhook endpoints and the outbox of deliveries. The outbox rows themselves are written by the action stores, in
/// the transaction of the transition they announce; this port manages endpoints and lets the relay claim and record.
/// </summary>
public interface IWebhookStore
{
    /// <summary>Stores a new endpoint with its sealed secret and the audit row, in one transaction.</summary>
    Task CreateEndpointAsync(WebhookEndpoint endpoint, string sealedSecret, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The tenant's endpoints, newest first.</summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Enables or disables an endpoint of the tenant (with its audit row); null when there is no such endpoint.</summary>
    Task<WebhookEndpoint?> SetEnabledAsync(string tenantId, Guid endpointId, bool enabled, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Deletes an endpoint of the tenant and its deliveries (with its audit row); false when there is no such endpoint.</summary>
    Task<bool> DeleteEndpointAsync(string tenantId, Guid endpointId, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The endpoint's latest deliveries with their attempts, newest first; null when there is no such endpoint.</summary>
    Task<IReadOnlyList<WebhookDelivery>?> ListDeliveriesAsync(string tenantId, Guid endpointId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the event's delivery to the endpoint due now again, with a new retry window (a manual redelivery, with its
    /// audit row); null when the endpoint has no delivery of that event.
    /// </summary>
    Task<WebhookDelivery?> RedeliverAsync(string tenantId, Guid endpointId, Guid eventId, DateTimeOffset now, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> pending deliveries due at <paramref name="now"/> of enabled endpoints
    /// (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL), and in the same transaction counts the attempt and pushes their
    /// next attempt to now + <paramref name="lease"/>, so no other relay sends them while this one does.
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records what the claimed attempt ended in, and logs it, unless another relay claimed the delivery since (its
    /// lease ran out): then nothing is recorded and false is returned.
    /// </summary>
    Task<bool> RecordAttemptAsync(ClaimedDelivery claimed, WebhookAttemptResult result, CancellationToken cancellationToken);
}
