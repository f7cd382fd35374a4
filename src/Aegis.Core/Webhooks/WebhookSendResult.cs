namespace Aegis.Core.Webhooks;

/// <summary>What a POST got back.</summary>
/// <param name="StatusCode">The HTTP status, or null when none came.</param>
/// <param name="Error">Why no 2xx came (connection refused, timeout, forbidden address, the status), or null on success.</param>
public sealed record WebhookSendResult(int? StatusCode, string? Error)
{
    /// <summary>Whether the endpoint accepted the event (2xx).</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
