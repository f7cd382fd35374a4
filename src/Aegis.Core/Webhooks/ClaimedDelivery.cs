using Aegis.Core.Actions;

namespace Aegis.Core.Webhooks;

/// <summary>
/// A delivery the relay has claimed for one attempt: its <c>next_attempt_at</c> was pushed a lease ahead in the
/// claiming transaction, so no other relay takes it meanwhile, and the attempt number fences the result it records.
/// </summary>
/// <param name="DeliveryId">The delivery.</param>
/// <param name="Attempt">The number of this attempt (1 = first).</param>
/// <param name="EventId">The event's id.</param>
/// <param name="EventType">One of <see cref="WebhookEventTypes"/>.</param>
/// <param name="OccurredAt">When the transition happened.</param>
/// <param name="RetryFrom">When the retry window started (the event, or the last manual redelivery).</param>
/// <param name="Endpoint">The endpoint to post to.</param>
/// <param name="SealedSecret">The endpoint's sealed signing secret.</param>
/// <param name="Action">The action as stored now, or null when retention purged it.</param>
public sealed record ClaimedDelivery(
    long DeliveryId,
    int Attempt,
    Guid EventId,
    string EventType,
    DateTimeOffset OccurredAt,
    DateTimeOffset RetryFrom,
    WebhookEndpoint Endpoint,
    string SealedSecret,
    ActionRecord? Action);
