namespace Aegis.Storage.Entities;

/// <summary>
/// The outbox: one event's delivery to one endpoint, written in the transaction of the transition it announces and
/// claimed by the relays.
/// </summary>
public sealed class WebhookDeliveryEntity
{
    /// <summary>Identity id.</summary>
    public long Id { get; set; }

    /// <summary>Owning tenant.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The endpoint.</summary>
    public Guid EndpointId { get; set; }

    /// <summary>The event's id (the same for every endpoint that receives it).</summary>
    public Guid EventId { get; set; }

    /// <summary>The event type.</summary>
    public string EventType { get; set; } = "";

    /// <summary>The action concerned.</summary>
    public Guid ActionId { get; set; }

    /// <summary>When the transition happened.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Start of the retry window (the event, or the last manual redelivery).</summary>
    public DateTimeOffset RetryFrom { get; set; }

    /// <summary>PENDING, DELIVERED or FAILED.</summary>
    public string State { get; set; } = "";

    /// <summary>Attempts made (claims taken).</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due (a claim pushes it a lease ahead); null once finished.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
}
