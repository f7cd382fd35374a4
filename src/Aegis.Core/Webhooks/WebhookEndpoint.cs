namespace Aegis.Core.Webhooks;

/// <summary>A tenant's registered webhook endpoint. The signing secret is never part of it (see <see cref="WebhookSecrets"/>).</summary>
/// <param name="Id">Server-assigned id (UUIDv7).</param>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="Url">Where events are posted (http or https).</param>
/// <param name="EventTypes">The subscribed <see cref="WebhookEventTypes"/>.</param>
/// <param name="Flavour">Generic JSON events or Slack messages.</param>
/// <param name="IncludePayload">Slack only: put the action's payload into the message (off by default).</param>
/// <param name="Enabled">Whether events are recorded and sent for it.</param>
/// <param name="Description">The admin's note.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record WebhookEndpoint(
    Guid Id,
    string TenantId,
    string Url,
    IReadOnlyList<string> EventTypes,
    WebhookFlavour Flavour,
    bool IncludePayload,
    bool Enabled,
    string Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
