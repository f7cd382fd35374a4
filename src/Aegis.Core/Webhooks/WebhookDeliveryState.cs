namespace Aegis.Core.Webhooks;

/// <summary>Where one event's delivery to one endpoint stands. Stored as the upper-case name.</summary>
public enum WebhookDeliveryState
{
    /// <summary>Waiting for its next attempt (or being attempted under a claim).</summary>
    Pending,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>No 2xx within the retry window; only a manual redelivery sends it again.</summary>
    Failed,
}
