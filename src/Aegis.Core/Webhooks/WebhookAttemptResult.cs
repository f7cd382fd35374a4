namespace Aegis.Core.Webhooks;

/// <summary>What one attempt ended in, as the relay records it.</summary>
/// <param name="State">Delivered, failed for good, or pending again.</param>
/// <param name="StatusCode">The HTTP status, when an answer came.</param>
/// <param name="Error">Why it failed (never a secret or the body).</param>
/// <param name="At">When the attempt was made.</param>
/// <param name="NextAttemptAt">When to try again (pending only).</param>
public sealed record WebhookAttemptResult(WebhookDeliveryState State, int? StatusCode, string? Error, DateTimeOffset At, DateTimeOffset? NextAttemptAt);
