namespace Aegis.Storage.Entities;

/// <summary>One attempt of a delivery: the delivery log.</summary>
public sealed class WebhookAttemptEntity
{
    /// <summary>Identity id.</summary>
    public long Id { get; set; }

    /// <summary>The delivery.</summary>
    public long DeliveryId { get; set; }

    /// <summary>Attempt number, 1 first.</summary>
    public int Attempt { get; set; }

    /// <summary>HTTP status answered, if any.</summary>
    public int? StatusCode { get; set; }

    /// <summary>Why it failed, if it did.</summary>
    public string? Error { get; set; }

    /// <summary>When it was made.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>When the next attempt is due, if one will follow.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
}
