using Aegis.Core.Accounts;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;

namespace Aegis.Core.Webhooks;

/// <summary>
/// The webhook use cases (admin only): register an endpoint (its secret returned in clear this once), list, enable or
/// disable, delete, read an endpoint's delivery log, and redeliver an event. Every change is audited
/// (<c>webhook.created</c>, <c>webhook.enabled</c>, <c>webhook.disabled</c>, <c>webhook.deleted</c>,
/// <c>webhook.redelivered</c>) in its transaction.
/// </summary>
public sealed class WebhookService(IWebhookStore store, WebhookSecrets secrets, WebhookUrlGuard urls, TimeProvider time)
{
    /// <summary>Longest accepted description.</summary>
    public const int MaxDescriptionLength = 200;

    /// <summary>Most deliveries one listing returns.</summary>
    public const int MaxDeliveryPage = 100;

    /// <summary>Registers an endpoint; returns it with its signing secret in clear (shown once).</summary>
    /// <exception cref="PermissionDeniedException">The caller is not an admin.</exception>
    /// <exception cref="InvalidInputException">A refused URL (scheme, credentials, a forbidden address), an unknown event type or flavour, a long description.</exception>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateAsync(
        Principal principal, string? url, IReadOnlyCollection<string> eventTypes, WebhookFlavour? flavour, bool includePayload, string? description, CancellationToken cancellationToken)
    {
        AccountService.RequireAdmin(principal);
        var uri = await urls.CheckAsync(url, cancellationToken);
        var unknown = eventTypes.Where(t => !WebhookEventTypes.All.Contains(t)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidInputException("event_types", $"Unknown event type(s) {string.Join(", ", unknown)}; known: {string.Join(", ", WebhookEventTypes.All)}.");
        }

        var note = ActionInputs.OptionalText(description, "description", MaxDescriptionLength) ?? "";
        var types = eventTypes.Count == 0 ? WebhookEventTypes.All : [.. WebhookEventTypes.All.Where(eventTypes.Contains)];
        var now = Clock.Now(time);
        var endpoint = new WebhookEndpoint(
            Guid.CreateVersion7(now), principal.TenantId, uri.AbsoluteUri, types, flavour ?? WebhookFlavour.Generic, includePayload, Enabled: true, note, now, now);
        var secret = WebhookSecrets.Generate();
        var audit = AuditEntry.Of("webhook.created", principal.Id, new Dictionary<string, object?>
        {
            ["endpoint_id"] = endpoint.Id,
            ["url"] = endpoint.Url,
            ["event_types"] = types,
            ["flavour"] = endpoint.Flavour.ToString().ToLowerInvariant(),
            ["include_payload"] = includePayload,
        });
        await store.CreateEndpointAsync(endpoint, await secrets.SealAsync(secret, cancellationToken), audit, cancellationToken);
        return (endpoint, secret);
    }

    /// <summary>The caller's tenant's endpoints (never their secrets).</summary>
    public Task<IReadOnlyList<WebhookEndpoint>> ListAsync(Principal principal, CancellationToken cancellationToken)
    {
        AccountService.RequireAdmin(principal);
        return store.ListEndpointsAsync(principal.TenantId, cancellationToken);
    }

    /// <summary>Enables or disables an endpoint. A disabled endpoint gets no new events and its pending ones wait.</summary>
    public async Task<WebhookEndpoint> SetEnabledAsync(Principal principal, string? endpointId, bool enabled, CancellationToken cancellationToken)
    {
        AccountService.RequireAdmin(principal);
        var id = EndpointId(endpointId);
        var audit = AuditEntry.Of(enabled ? "webhook.enabled" : "webhook.disabled", principal.Id, new Dictionary<string, object?> { ["endpoint_id"] = id });
        return await store.SetEnabledAsync(principal.TenantId, id, enabled, Clock.Now(time), audit, cancellationToken) ?? throw new WebhookEndpointNotFoundException();
    }

    /// <summary>Deletes an endpoint and its delivery log.</summary>
    public async Task DeleteAsync(Principal principal, string? endpointId, CancellationToken cancellationToken)
    {
        AccountService.RequireAdmin(principal);
        var id = EndpointId(endpointId);
        var audit = AuditEntry.Of("webhook.deleted", principal.Id, new Dictionary<string, object?> { ["endpoint_id"] = id });
        if (!await store.DeleteEndpointAsync(principal.TenantId, id, Clock.Now(time), audit, cancellationToken))
        {
            throw new WebhookEndpointNotFoundException();
        }
    }

    /// <summary>The endpoint's latest deliveries (at most <paramref name="pageSize"/>, 50 when 0), each with its attempts.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(Principal principal, string? endpointId, int pageSize, CancellationToken cancellationToken)
    {
        AccountService.RequireAdmin(principal);
        var id = EndpointId(endpointId);
        var limit = pageSize <= 0 ? 50 : Math.Min(pageSize, MaxDeliveryPage);
        return await store.ListDeliveriesAsync(principal.TenantId, id, limit, cancellationToken) ?? throw new WebhookEndpointNotFoundException();
    }

    /// <summary>Sends the event to the endpoint again now (same event id), with a fresh retry window.</summary>
    public async Task<WebhookDelivery> RedeliverAsync(Principal principal, string? endpointId, string? eventId, CancellationToken cancellationToken)
    {
        AccountService.RequireAdmin(principal);
        var id = EndpointId(endpointId);
        if (!Guid.TryParse(eventId, out var ev))
        {
            throw new InvalidInputException("event_id", "event_id must be a UUID.");
        }

        var audit = AuditEntry.Of("webhook.redelivered", principal.Id, new Dictionary<string, object?> { ["endpoint_id"] = id, ["event_id"] = ev });
        return await store.RedeliverAsync(principal.TenantId, id, ev, Clock.Now(time), audit, cancellationToken) ?? throw new WebhookEndpointNotFoundException();
    }

    private static Guid EndpointId(string? endpointId) =>
        Guid.TryParse(endpointId, out var id) ? id : throw new InvalidInputException("endpoint_id", "endpoint_id must be a UUID.");
}
