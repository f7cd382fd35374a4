namespace Aegis.Core.Billing;

/// <summary>How Stripe webhooks are verified and mapped to plans (validated by the host at start).</summary>
/// <param name="WebhookSecret">The endpoint's signing secret (<c>whsec_…</c>); null disables the endpoint.</param>
/// <param name="PricePlans">Stripe price id → plan name.</param>
/// <param name="Tolerance">How far the signed timestamp may be from now (Stripe's default: 5 minutes).</param>
public sealed record StripeSettings(string? WebhookSecret, IReadOnlyDictionary<string, string> PricePlans, TimeSpan Tolerance);
