namespace Aegis.Core.Webhooks;

/// <summary>One attempt to post an event to an endpoint: the delivery log's row.</summary>
/// <param name="Attempt">1 for the first attempt of the delivery.</param>
/// <param name="StatusCode">The HTTP status answered, or null when no answer came (refused, timed out, forbidden address).</param>
/// <param name="Error">Why the attempt failed, or null when it succeeded.</param>
/// <param name="At">When it was made.</param>
/// <param name="NextAttemptAt">When the next attempt is due, or null when none will follow.</param>
public sealed record WebhookAttempt(int Attempt, int? StatusCode, string? Error, DateTimeOffset At, DateTimeOffset? NextAttemptAt);
