namespace Aegis.Core.Exceptions;

/// <summary>
/// No webhook endpoint (or no delivery of that event) with that id in the caller's tenant; also for another tenant's,
/// so existence is never revealed. Maps to NOT_FOUND (HTTP 404).
/// </summary>
public sealed class WebhookEndpointNotFoundException : AegisException
{
    /// <summary>Creates the exception.</summary>
    public WebhookEndpointNotFoundException()
        : base("WEBHOOK_NOT_FOUND", "No such webhook endpoint or delivery.")
    {
    }
}
