using System.Text.Json;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;

namespace Aegis.Core.Billing;

/// <summary>
/// Applies a payment provider's verified subscription events to tenants' plans: the only way besides an operator key
/// that a tenant's limit goes up. The event names the tenant in the subscription's <c>metadata.tenant_id</c> (set it
/// when creating the Checkout Session or subscription) and the plan through its price id (<see cref="StripeSettings.PricePlans"/>).
/// </summary>
public sealed class PaymentEventService(BillingService billing, PlanCatalog plans, StripeSettings settings, TimeProvider time)
{
    private static readonly HashSet<string> PayingStatuses = new(StringComparer.Ordinal) { "active", "trialing" };

    private static readonly HashSet<string> EndedStatuses = new(StringComparer.Ordinal) { "canceled", "unpaid", "incomplete_expired" };

    /// <summary>The actor recorded for plan changes applied from Stripe events.</summary>
    public const string StripeActor = "stripe";

    /// <summary>Whether a webhook secret is configured (the endpoint answers 404 otherwise).</summary>
    public bool StripeEnabled => !string.IsNullOrEmpty(settings.WebhookSecret);

    /// <summary>
    /// Verifies and applies one Stripe event. <c>customer.subscription.created</c> / <c>.updated</c> with status
    /// active or trialing put the tenant on the price's plan; a subscription that ended (deleted, canceled, unpaid)
    /// puts it back on the signup plan; every other event is acknowledged and ignored.
    /// </summary>
    /// <returns>The tenant and plan applied, or null when the event was acknowledged without a change.</returns>
    /// <exception cref="WebhookRejectedException">Bad signature, stale timestamp, or an event that cannot be applied; nothing changed.</exception>
    public async Task<(string TenantId, Plan Plan)?> HandleStripeAsync(string? signatureHeader, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        StripeSignature.Verify(signatureHeader, body.Span, settings.WebhookSecret ?? throw new InvalidOperationException("No Stripe webhook secret configured."),
            Clock.Now(time), settings.Tolerance);

        using var document = Parse(body);
        var root = document.RootElement;
        var type = Text(root, "type");
        if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("object", out var subscription)
            || type is not ("customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.deleted"))
        {
            return null;
        }

        var status = Text(subscription, "status") ?? "";
        Plan plan;
        if (type == "customer.subscription.deleted" || EndedStatuses.Contains(status))
        {
            plan = plans.SignupPlan;
        }
        else if (PayingStatuses.Contains(status))
        {
            plan = PlanOfPrice(subscription);
        }
        else
        {
            // past_due, incomplete, paused: nothing is decided yet; the provider sends another event when it is.
            return null;
        }

        var tenant = subscription.TryGetProperty("metadata", out var metadata) ? Text(metadata, "tenant_id") : null;
        if (string.IsNullOrEmpty(tenant))
        {
            throw new WebhookRejectedException(WebhookRejectedException.EventNotApplicable, "The subscription carries no metadata.tenant_id.");
        }

        await billing.ApplyPlanAsync(TenantIds.Validate(tenant), plan, StripeActor, cancellationToken);
        return (tenant, plan);
    }

    private Plan PlanOfPrice(JsonElement subscription)
    {
        var prices = subscription.TryGetProperty("items", out var items) && items.TryGetProperty("data", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(i => i.TryGetProperty("price", out var p) ? Text(p, "id") : null).OfType<string>().ToList()
            : [];
        var mapped = prices.Select(p => settings.PricePlans.TryGetValue(p, out var name) ? plans.Find(name) : null).OfType<Plan>().ToList();
        if (mapped.Count == 0)
        {
            throw new WebhookRejectedException(
                WebhookRejectedException.EventNotApplicable, $"No plan is configured for the subscription's price ({string.Join(", ", prices)}).");
        }

        // Several mapped items: the tenant gets the largest plan it pays for.
        return mapped.OrderBy(p => p.MonthlyEvents ?? long.MaxValue).Last();
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new WebhookRejectedException(WebhookRejectedException.EventNotApplicable, $"The event is not JSON: {ex.Message}");
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
