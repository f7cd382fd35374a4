using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Hosting;

/// <summary>The <c>Aegis:Billing:Stripe</c> section: the payment provider's webhook.</summary>
public sealed class StripeOptions
{
    /// <summary>The webhook endpoint's signing secret (<c>whsec_…</c>). Unset: the endpoint answers 404.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Stripe price id → plan name, e.g. <c>Aegis__Billing__Stripe__Prices__price_1Pro=pro</c>.</summary>
    public Dictionary<string, string> Prices { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How far the signed timestamp may be from the server's clock, in seconds (Stripe's default: 300).</summary>
    [Range(1, 3600)]
    public int ToleranceSeconds { get; set; } = 300;
}
