namespace Aegis.Core.Webhooks;

/// <summary>One event's delivery to one endpoint, with its log of attempts.</summary>
/// <param name="Id">The delivery's id.</param>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="EventId">The event's id: the same in every attempt and every redelivery (receivers deduplicate on it).</param>
/// <param name="EventType">One of <see cref="WebhookEventTypes"/>.</param>
/// <param name="ActionId">The action the event is about.</param>
/// <param name="State">Pending, delivered or failed.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="NextAttemptAt">When the next attempt is due (pending only).</param>
/// <param name="OccurredAt">When the transition happened.</param>
/// <param name="Log">The attempts, newest first.</param>
public sealed record WebhookDelivery(
    long Id,
    Guid EndpointId,
    Guid EventId,
    string EventType,
    Guid ActionId,
    WebhookDeliveryState State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset OccurredAt,
    IReadOnlyList<WebhookAttempt> Log);
