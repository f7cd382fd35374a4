namespace Aegis.Core.Webhooks;

/// <summary>How the relay retries.</summary>
/// <param name="InitialBackoff">The wait after the first failed attempt; doubled after each further failure.</param>
/// <param name="MaxBackoff">The longest wait between two attempts.</param>
/// <param name="RetryWindow">How long after the event (or a manual redelivery) attempts go on before it is marked failed.</param>
/// <param name="Lease">How far a claim pushes the next attempt ahead: longer than an attempt can take.</param>
/// <param name="BatchSize">Deliveries claimed per round.</param>
public sealed record WebhookSettings(TimeSpan InitialBackoff, TimeSpan MaxBackoff, TimeSpan RetryWindow, TimeSpan Lease, int BatchSize)
{
    /// <summary>
    /// The wait after failed attempt number <paramref name="attempt"/>: exponential (initial × 2^(attempt−1), capped)
    /// with "equal jitter" — half fixed, half random — so a receiver that comes back is not hit by every retry at once.
    /// </summary>
    public TimeSpan Backoff(int attempt, double random)
    {
        var exponential = InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * random));
    }
}
